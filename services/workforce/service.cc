#include "services/workforce/service.h"

#include "common/server/batch_stream.h"
#include "common/server/unary.h"
#include "common/server/versioned_memo.h"
#include "common/util/dates.h"
#include "common/validation/common_fields.h"
#include "services/workforce/profile.h"
#include "services/workforce/validate.h"

namespace peel::workforce {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
using peel::common::v1::BatchAck;
using server::Reply;

grpc::ServerBidiReactor<v1::PersonRecordBatch, BatchAck>*
WorkforceServiceImpl::IngestPersonRecords(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::PersonRecordBatch>(
      [this](const v1::PersonRecordBatch& b) {
        return store_->ApplyPersonRecords(b);
      });
}

grpc::ServerBidiReactor<v1::WellbeingEventBatch, BatchAck>*
WorkforceServiceImpl::IngestWellbeingEvents(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::WellbeingEventBatch>(
      [this](const v1::WellbeingEventBatch& b) {
        return store_->ApplyWellbeingEvents(b);
      });
}

ServerUnaryReactor* WorkforceServiceImpl::PutUpliftTarget(
    CallbackServerContext* ctx, const v1::PutUpliftTargetRequest* req,
    v1::UpliftTarget* resp) {
  return Reply(ctx, store_->PutUpliftTarget(req->target()), resp);
}

ServerUnaryReactor* WorkforceServiceImpl::PutPopulationReference(
    CallbackServerContext* ctx, const v1::PutPopulationReferenceRequest* req,
    v1::PopulationReference* resp) {
  return Reply(ctx, store_->PutPopulationReference(req->reference()), resp);
}

ServerUnaryReactor* WorkforceServiceImpl::GetPerson(
    CallbackServerContext* ctx, const v1::GetPersonRequest* req,
    v1::PersonHistory* resp) {
  absl::StatusOr<v1::PersonHistory> result =
      [&]() -> absl::StatusOr<v1::PersonHistory> {
    validation::FieldViolations v;
    validation::CheckForce("force", req->force(), &v);
    CheckPersonId("person_id", req->person_id(), &v);
    if (!v.empty()) return v.ToStatus();
    auto state = store_->GetPerson(req->force(), req->person_id());
    if (!state.ok()) return state.status();
    v1::PersonHistory h;
    *h.mutable_versions() = state->versions();
    for (int32_t d : state->screening_days()) {
      h.add_screenings(dates::FormatIsoDate(d));
    }
    return h;
  }();
  return Reply(ctx, std::move(result), resp);
}

ServerUnaryReactor* WorkforceServiceImpl::GetWorkforceProfile(
    CallbackServerContext* ctx, const v1::GetWorkforceProfileRequest* req,
    v1::WorkforceProfile* resp) {
  return Reply(ctx, BuildProfile(*store_, *req), resp);
}

ServerUnaryReactor* WorkforceServiceImpl::GetNationalWorkforce(
    CallbackServerContext* ctx, const v1::GetNationalWorkforceRequest* req,
    v1::NationalWorkforce* resp) {
  // Read the version first (see VersionedMemo).
  const uint64_t version = store_->DataVersion();
  return Reply(
      ctx,
      server::Memoized(&national_memo_, version, *req,
                       [&] { return BuildNationalView(*store_, *req); }),
      resp);
}

ServerUnaryReactor* WorkforceServiceImpl::GetDataVersion(
    CallbackServerContext* ctx, const peel::common::v1::DataVersionRequest*,
    peel::common::v1::DataVersion* resp) {
  peel::common::v1::DataVersion v;
  v.set_service(kServiceName);
  v.set_version(store_->DataVersion());
  return Reply(ctx, absl::StatusOr<peel::common::v1::DataVersion>(v), resp);
}

}  // namespace peel::workforce
