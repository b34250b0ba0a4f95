#pragma once

#include "common/server/versioned_memo.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/workforce/store.h"

namespace peel::workforce {

// RPC handlers: translate requests to store and profile calls, and statuses
// to gRPC at the edge.
class WorkforceServiceImpl final
    : public v1::WorkforceService::CallbackService {
 public:
  explicit WorkforceServiceImpl(WorkforceStore* store) : store_(store) {}

  grpc::ServerBidiReactor<v1::PersonRecordBatch, peel::common::v1::BatchAck>*
  IngestPersonRecords(grpc::CallbackServerContext* ctx) override;
  grpc::ServerBidiReactor<v1::WellbeingEventBatch, peel::common::v1::BatchAck>*
  IngestWellbeingEvents(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* PutUpliftTarget(
      grpc::CallbackServerContext* ctx, const v1::PutUpliftTargetRequest* req,
      v1::UpliftTarget* resp) override;
  grpc::ServerUnaryReactor* PutPopulationReference(
      grpc::CallbackServerContext* ctx,
      const v1::PutPopulationReferenceRequest* req,
      v1::PopulationReference* resp) override;
  grpc::ServerUnaryReactor* GetPerson(grpc::CallbackServerContext* ctx,
                                      const v1::GetPersonRequest* req,
                                      v1::PersonHistory* resp) override;
  grpc::ServerUnaryReactor* GetWorkforceProfile(
      grpc::CallbackServerContext* ctx,
      const v1::GetWorkforceProfileRequest* req,
      v1::WorkforceProfile* resp) override;
  grpc::ServerUnaryReactor* GetNationalWorkforce(
      grpc::CallbackServerContext* ctx,
      const v1::GetNationalWorkforceRequest* req,
      v1::NationalWorkforce* resp) override;
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const peel::common::v1::DataVersionRequest* req,
      peel::common::v1::DataVersion* resp) override;

 private:
  // National views are recomputed only after a write (see VersionedMemo).
  server::VersionedMemo<v1::NationalWorkforce> national_memo_;
  WorkforceStore* store_;
};

}  // namespace peel::workforce
