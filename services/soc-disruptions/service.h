#pragma once

#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "services/soc-disruptions/store.h"

namespace peel::soc {

// RPC handlers: translate requests to store and statistics calls, and
// statuses to gRPC at the edge.
class SocDisruptionServiceImpl final
    : public v1::SocDisruptionService::CallbackService {
 public:
  explicit SocDisruptionServiceImpl(SocStore* store) : store_(store) {}

  grpc::ServerUnaryReactor* RegisterGroup(
      grpc::CallbackServerContext* ctx, const v1::RegisterGroupRequest* req,
      v1::OrganisedCrimeGroup* resp) override;
  grpc::ServerUnaryReactor* UpdateGroup(grpc::CallbackServerContext* ctx,
                                        const v1::UpdateGroupRequest* req,
                                        v1::OrganisedCrimeGroup* resp) override;
  grpc::ServerUnaryReactor* GetGroup(grpc::CallbackServerContext* ctx,
                                     const v1::GetGroupRequest* req,
                                     v1::OrganisedCrimeGroup* resp) override;
  grpc::ServerWriteReactor<v1::OrganisedCrimeGroup>* ListGroups(
      grpc::CallbackServerContext* ctx,
      const v1::ListGroupsRequest* req) override;
  grpc::ServerBidiReactor<v1::DisruptionBatch, peel::common::v1::BatchAck>*
  IngestDisruptions(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* GetDisruptionSummary(
      grpc::CallbackServerContext* ctx,
      const v1::GetDisruptionSummaryRequest* req,
      v1::DisruptionSummary* resp) override;
  grpc::ServerUnaryReactor* GetOperationSummary(
      grpc::CallbackServerContext* ctx,
      const v1::GetOperationSummaryRequest* req,
      v1::OperationSummary* resp) override;
  grpc::ServerWriteReactor<v1::Disruption>* StreamGroupHistory(
      grpc::CallbackServerContext* ctx,
      const v1::StreamGroupHistoryRequest* req) override;
  grpc::ServerUnaryReactor* GetNationalDisruptions(
      grpc::CallbackServerContext* ctx,
      const v1::GetNationalDisruptionsRequest* req,
      v1::NationalDisruptions* resp) override;
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const peel::common::v1::DataVersionRequest* req,
      peel::common::v1::DataVersion* resp) override;

 private:
  SocStore* store_;
};

// The reads behind the summary RPCs, kept out of the handlers so unit tests
// and tools can call them on a store directly.
absl::StatusOr<v1::DisruptionSummary> SummariseForce(
    const SocStore& store, const v1::GetDisruptionSummaryRequest& req);
absl::StatusOr<v1::NationalDisruptions> SummariseNation(
    const SocStore& store, const v1::GetNationalDisruptionsRequest& req);

}  // namespace peel::soc
