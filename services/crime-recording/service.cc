#include "services/crime-recording/service.h"

#include "common/server/batch_stream.h"
#include "common/server/unary.h"
#include "common/server/vector_writer.h"
#include "common/validation/common_fields.h"
#include "services/crime-recording/estimate.h"
#include "services/crime-recording/national_view.h"
#include "services/crime-recording/sampling.h"

namespace peel::crimerecording {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
using peel::common::v1::BatchAck;
using server::Reply;

ServerUnaryReactor* CrimeRecordingServiceImpl::CreateAudit(
    CallbackServerContext* ctx, const v1::CreateAuditRequest* req,
    v1::Audit* resp) {
  return Reply(ctx, store_->CreateAudit(req->audit()), resp);
}

ServerUnaryReactor* CrimeRecordingServiceImpl::GetAudit(
    CallbackServerContext* ctx, const v1::GetAuditRequest* req,
    v1::Audit* resp) {
  return Reply(ctx, store_->GetAudit(req->audit_id()), resp);
}

ServerUnaryReactor* CrimeRecordingServiceImpl::ListAudits(
    CallbackServerContext* ctx, const v1::ListAuditsRequest* req,
    v1::ListAuditsResponse* resp) {
  absl::StatusOr<v1::ListAuditsResponse> result =
      [&]() -> absl::StatusOr<v1::ListAuditsResponse> {
    validation::FieldViolations v;
    validation::CheckForce("force", req->force(), &v);
    if (!v.empty()) return v.ToStatus();
    auto audits = store_->ListAudits(req->force());
    if (!audits.ok()) return audits.status();
    v1::ListAuditsResponse out;
    for (auto& a : *audits) *out.add_audits() = std::move(a);
    return out;
  }();
  return Reply(ctx, std::move(result), resp);
}

grpc::ServerBidiReactor<v1::AuditedIncidentBatch, BatchAck>*
CrimeRecordingServiceImpl::IngestAuditedIncidents(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::AuditedIncidentBatch>(
      [this](const v1::AuditedIncidentBatch& b) {
        return store_->ApplyIncidents(b);
      });
}

ServerUnaryReactor* CrimeRecordingServiceImpl::GetRecordingEstimate(
    CallbackServerContext* ctx, const v1::GetRecordingEstimateRequest* req,
    v1::RecordingEstimate* resp) {
  absl::StatusOr<v1::RecordingEstimate> result =
      [&]() -> absl::StatusOr<v1::RecordingEstimate> {
    auto audit = store_->GetAudit(req->audit_id());
    if (!audit.ok()) return audit.status();
    auto tally = store_->GetTally(req->audit_id());
    if (!tally.ok()) return tally.status();
    return ComputeRecordingEstimate(*audit, *tally);
  }();
  return Reply(ctx, std::move(result), resp);
}

grpc::ServerBidiReactor<v1::CancellationReviewBatch, BatchAck>*
CrimeRecordingServiceImpl::IngestCancellationReviews(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::CancellationReviewBatch>(
      [this](const v1::CancellationReviewBatch& b) {
        return store_->ApplyCancellationReviews(b);
      });
}

ServerUnaryReactor* CrimeRecordingServiceImpl::GetCancellationCompliance(
    CallbackServerContext* ctx, const v1::GetCancellationComplianceRequest* req,
    v1::CancellationCompliance* resp) {
  absl::StatusOr<v1::CancellationCompliance> result =
      [&]() -> absl::StatusOr<v1::CancellationCompliance> {
    auto audit = store_->GetAudit(req->audit_id());
    if (!audit.ok()) return audit.status();
    auto tally = store_->GetCancellationTally(req->audit_id());
    if (!tally.ok()) return tally.status();
    return ComputeCancellationCompliance(*audit, *tally);
  }();
  return Reply(ctx, std::move(result), resp);
}

grpc::ServerBidiReactor<v1::IncidentLogBatch, BatchAck>*
CrimeRecordingServiceImpl::IngestIncidentLog(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::IncidentLogBatch>(
      [this](const v1::IncidentLogBatch& b) {
        return store_->ApplyIncidentLog(b);
      });
}

grpc::ServerWriteReactor<v1::SampledIncident>*
CrimeRecordingServiceImpl::DrawAuditSample(
    CallbackServerContext*, const v1::DrawAuditSampleRequest* req) {
  return new server::VectorWriter<v1::SampledIncident>(
      crimerecording::DrawAuditSample(*store_, *req));
}

ServerUnaryReactor* CrimeRecordingServiceImpl::GetNationalRecordingRates(
    CallbackServerContext* ctx, const v1::GetNationalRecordingRatesRequest* req,
    v1::NationalRecordingRates* resp) {
  return Reply(ctx, ComputeNationalRates(*store_, *req), resp);
}

ServerUnaryReactor* CrimeRecordingServiceImpl::GetDataVersion(
    CallbackServerContext* ctx, const peel::common::v1::DataVersionRequest*,
    peel::common::v1::DataVersion* resp) {
  peel::common::v1::DataVersion v;
  v.set_service(kServiceName);
  v.set_version(store_->DataVersion());
  return Reply(ctx, absl::StatusOr<peel::common::v1::DataVersion>(v), resp);
}

}  // namespace peel::crimerecording
