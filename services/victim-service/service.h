#pragma once

#include "common/server/versioned_memo.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "services/victim-service/store.h"

namespace peel::victimservice {

// RPC handlers: translate requests to store and statistics calls, and
// statuses to gRPC at the edge.
class VictimServiceImpl final : public v1::VictimService::CallbackService {
 public:
  explicit VictimServiceImpl(VictimServiceStore* store) : store_(store) {}

  grpc::ServerUnaryReactor* CreateAssessment(
      grpc::CallbackServerContext* ctx, const v1::CreateAssessmentRequest* req,
      v1::Assessment* resp) override;
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* ctx,
                                          const v1::GetAssessmentRequest* req,
                                          v1::Assessment* resp) override;
  grpc::ServerUnaryReactor* ListAssessments(
      grpc::CallbackServerContext* ctx, const v1::ListAssessmentsRequest* req,
      v1::ListAssessmentsResponse* resp) override;
  grpc::ServerBidiReactor<v1::CaseReviewBatch, peel::common::v1::BatchAck>*
  IngestCaseReviews(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* GetCheckSummary(
      grpc::CallbackServerContext* ctx, const v1::GetCheckSummaryRequest* req,
      v1::CheckSummary* resp) override;
  grpc::ServerBidiReactor<v1::CallRecordBatch, peel::common::v1::BatchAck>*
  IngestCallRecords(grpc::CallbackServerContext* ctx) override;
  grpc::ServerBidiReactor<v1::MonthlyCallAggregateBatch,
                          peel::common::v1::BatchAck>*
  IngestMonthlyCallAggregates(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* GetCallHandlingSummary(
      grpc::CallbackServerContext* ctx,
      const v1::GetCallHandlingSummaryRequest* req,
      v1::CallHandlingSummary* resp) override;
  grpc::ServerUnaryReactor* GetNationalCallHandling(
      grpc::CallbackServerContext* ctx,
      const v1::GetNationalCallHandlingRequest* req,
      v1::NationalCallHandling* resp) override;
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const peel::common::v1::DataVersionRequest* req,
      peel::common::v1::DataVersion* resp) override;

 private:
  // National views are recomputed only after a write (see VersionedMemo).
  server::VersionedMemo<v1::NationalCallHandling> national_memo_;
  VictimServiceStore* store_;
};

}  // namespace peel::victimservice
