#include "services/victim-service/service.h"

#include "common/server/batch_stream.h"
#include "common/server/unary.h"
#include "common/server/versioned_memo.h"
#include "common/validation/common_fields.h"
#include "services/victim-service/summaries.h"

namespace peel::victimservice {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
using peel::common::v1::BatchAck;
using server::Reply;

ServerUnaryReactor* VictimServiceImpl::CreateAssessment(
    CallbackServerContext* ctx, const v1::CreateAssessmentRequest* req,
    v1::Assessment* resp) {
  return Reply(ctx, store_->CreateAssessment(req->assessment()), resp);
}

ServerUnaryReactor* VictimServiceImpl::GetAssessment(
    CallbackServerContext* ctx, const v1::GetAssessmentRequest* req,
    v1::Assessment* resp) {
  return Reply(ctx, store_->GetAssessment(req->assessment_id()), resp);
}

ServerUnaryReactor* VictimServiceImpl::ListAssessments(
    CallbackServerContext* ctx, const v1::ListAssessmentsRequest* req,
    v1::ListAssessmentsResponse* resp) {
  absl::StatusOr<v1::ListAssessmentsResponse> result =
      [&]() -> absl::StatusOr<v1::ListAssessmentsResponse> {
    if (!req->force().empty()) {
      validation::FieldViolations v;
      validation::CheckForce("force", req->force(), &v);
      if (!v.empty()) return v.ToStatus();
    }
    auto list = store_->ListAssessments(req->force());
    if (!list.ok()) return list.status();
    v1::ListAssessmentsResponse out;
    for (auto& a : *list) *out.add_assessments() = std::move(a);
    return out;
  }();
  return Reply(ctx, std::move(result), resp);
}

grpc::ServerBidiReactor<v1::CaseReviewBatch, BatchAck>*
VictimServiceImpl::IngestCaseReviews(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::CaseReviewBatch>(
      [this](const v1::CaseReviewBatch& b) {
        return store_->ApplyCaseReviews(b);
      });
}

ServerUnaryReactor* VictimServiceImpl::GetCheckSummary(
    CallbackServerContext* ctx, const v1::GetCheckSummaryRequest* req,
    v1::CheckSummary* resp) {
  absl::StatusOr<v1::CheckSummary> result =
      [&]() -> absl::StatusOr<v1::CheckSummary> {
    validation::FieldViolations v;
    if (!v1::FileType_IsValid(req->file_type())) {
      v.Add("file_type", "unknown value");
    }
    if (!v1::OffenceGroup_IsValid(req->offence_group())) {
      v.Add("offence_group", "unknown value");
    }
    if (!v.empty()) return v.ToStatus();
    auto assessment = store_->GetAssessment(req->assessment_id());
    if (!assessment.ok()) return assessment.status();
    auto cells = store_->GetCheckTallies(req->assessment_id());
    if (!cells.ok()) return cells.status();
    return ComputeCheckSummary(*assessment, *cells, req->file_type(),
                               req->offence_group());
  }();
  return Reply(ctx, std::move(result), resp);
}

grpc::ServerBidiReactor<v1::CallRecordBatch, BatchAck>*
VictimServiceImpl::IngestCallRecords(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::CallRecordBatch>(
      [this](const v1::CallRecordBatch& b) {
        return store_->ApplyCallRecords(b);
      });
}

grpc::ServerBidiReactor<v1::MonthlyCallAggregateBatch, BatchAck>*
VictimServiceImpl::IngestMonthlyCallAggregates(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::MonthlyCallAggregateBatch>(
      [this](const v1::MonthlyCallAggregateBatch& b) {
        return store_->ApplyMonthlyAggregates(b);
      });
}

ServerUnaryReactor* VictimServiceImpl::GetCallHandlingSummary(
    CallbackServerContext* ctx, const v1::GetCallHandlingSummaryRequest* req,
    v1::CallHandlingSummary* resp) {
  return Reply(ctx, ReadCallHandlingSummary(*store_, *req), resp);
}

ServerUnaryReactor* VictimServiceImpl::GetNationalCallHandling(
    CallbackServerContext* ctx, const v1::GetNationalCallHandlingRequest* req,
    v1::NationalCallHandling* resp) {
  // Read the version first (see VersionedMemo).
  const uint64_t version = store_->DataVersion();
  return Reply(
      ctx,
      server::Memoized(&national_memo_, version, *req,
                       [&] { return ReadNationalCallHandling(*store_, *req); }),
      resp);
}

ServerUnaryReactor* VictimServiceImpl::GetDataVersion(
    CallbackServerContext* ctx, const peel::common::v1::DataVersionRequest*,
    peel::common::v1::DataVersion* resp) {
  peel::common::v1::DataVersion v;
  v.set_service(kServiceName);
  v.set_version(store_->DataVersion());
  return Reply(ctx, absl::StatusOr<peel::common::v1::DataVersion>(v), resp);
}

}  // namespace peel::victimservice
