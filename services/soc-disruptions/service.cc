#include "services/soc-disruptions/service.h"

#include "common/reference/forces.h"
#include "common/server/batch_stream.h"
#include "common/server/unary.h"
#include "common/server/vector_writer.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/soc-disruptions/summary.h"
#include "services/soc-disruptions/validate.h"

namespace peel::soc {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
using peel::common::v1::BatchAck;
using server::Reply;

absl::StatusOr<v1::DisruptionSummary> SummariseForce(
    const SocStore& store, const v1::GetDisruptionSummaryRequest& req) {
  int32_t first_month = 0;
  {
    validation::FieldViolations v;
    validation::CheckForce("force", req.force(), &v);
    CheckTwelveMonths("period", req.period(), &v, &first_month);
    RETURN_IF_ERROR(v.ToStatus());
  }
  const reference::Force* force = reference::FindForce(req.force());
  ASSIGN_OR_RETURN(Counts current,
                   store.SumMonths(req.force(), first_month, 12));
  ASSIGN_OR_RETURN(Counts previous,
                   store.SumMonths(req.force(), first_month - 12, 12));
  GroupCounts groups;
  RETURN_IF_ERROR(store.VisitGroupStates(
      req.force(),
      [&](absl::string_view id, const v1::storage::GroupState& state) {
        CountGroup(id, state, first_month, &groups);
      }));
  return ComputeDisruptionSummary(req.force(), force->population_mid2020,
                                  first_month, current, previous, groups);
}

absl::StatusOr<v1::NationalDisruptions> SummariseNation(
    const SocStore& store, const v1::GetNationalDisruptionsRequest& req) {
  int32_t first_month = 0;
  {
    validation::FieldViolations v;
    CheckTwelveMonths("period", req.period(), &v, &first_month);
    RETURN_IF_ERROR(v.ToStatus());
  }
  std::vector<ForceYear> forces;
  for (const reference::Force& f : reference::AllForces()) {
    if (!f.in_peel_scope) continue;  // BTP is not compared nationally
    ForceYear fy;
    fy.force = std::string(f.slug);
    fy.population = f.population_mid2020;
    ASSIGN_OR_RETURN(fy.counts, store.SumMonths(f.slug, first_month, 12));
    forces.push_back(std::move(fy));
  }
  return ComputeNationalDisruptions(first_month, forces);
}

ServerUnaryReactor* SocDisruptionServiceImpl::RegisterGroup(
    CallbackServerContext* ctx, const v1::RegisterGroupRequest* req,
    v1::OrganisedCrimeGroup* resp) {
  return Reply(ctx, store_->RegisterGroup(req->group()), resp);
}

ServerUnaryReactor* SocDisruptionServiceImpl::UpdateGroup(
    CallbackServerContext* ctx, const v1::UpdateGroupRequest* req,
    v1::OrganisedCrimeGroup* resp) {
  return Reply(ctx, store_->UpdateGroup(req->group()), resp);
}

ServerUnaryReactor* SocDisruptionServiceImpl::GetGroup(
    CallbackServerContext* ctx, const v1::GetGroupRequest* req,
    v1::OrganisedCrimeGroup* resp) {
  return Reply(ctx, store_->GetGroup(req->group_id()), resp);
}

grpc::ServerWriteReactor<v1::OrganisedCrimeGroup>*
SocDisruptionServiceImpl::ListGroups(CallbackServerContext*,
                                     const v1::ListGroupsRequest* req) {
  validation::FieldViolations v;
  validation::CheckForce("force", req->force(), &v);
  if (!v.empty()) {
    return new server::VectorWriter<v1::OrganisedCrimeGroup>(v.ToStatus());
  }
  return new server::VectorWriter<v1::OrganisedCrimeGroup>(
      store_->ListGroups(req->force()));
}

grpc::ServerBidiReactor<v1::DisruptionBatch, BatchAck>*
SocDisruptionServiceImpl::IngestDisruptions(CallbackServerContext*) {
  return new server::BatchIngestReactor<v1::DisruptionBatch>(
      [this](const v1::DisruptionBatch& b) {
        return store_->ApplyDisruptions(b);
      });
}

ServerUnaryReactor* SocDisruptionServiceImpl::GetDisruptionSummary(
    CallbackServerContext* ctx, const v1::GetDisruptionSummaryRequest* req,
    v1::DisruptionSummary* resp) {
  return Reply(ctx, SummariseForce(*store_, *req), resp);
}

ServerUnaryReactor* SocDisruptionServiceImpl::GetOperationSummary(
    CallbackServerContext* ctx, const v1::GetOperationSummaryRequest* req,
    v1::OperationSummary* resp) {
  absl::StatusOr<v1::OperationSummary> result =
      [&]() -> absl::StatusOr<v1::OperationSummary> {
    validation::FieldViolations v;
    validation::CheckForce("force", req->force(), &v);
    validation::CheckId("operation", req->operation(), &v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Counts c,
                     store_->OperationCounts(req->force(), req->operation()));
    return ComputeOperationSummary(req->force(), req->operation(), c);
  }();
  return Reply(ctx, std::move(result), resp);
}

grpc::ServerWriteReactor<v1::Disruption>*
SocDisruptionServiceImpl::StreamGroupHistory(
    CallbackServerContext*, const v1::StreamGroupHistoryRequest* req) {
  validation::FieldViolations v;
  validation::CheckId("group_id", req->group_id(), &v);
  if (!v.empty()) return new server::VectorWriter<v1::Disruption>(v.ToStatus());
  return new server::VectorWriter<v1::Disruption>(
      store_->GroupHistory(req->group_id()));
}

ServerUnaryReactor* SocDisruptionServiceImpl::GetNationalDisruptions(
    CallbackServerContext* ctx, const v1::GetNationalDisruptionsRequest* req,
    v1::NationalDisruptions* resp) {
  return Reply(ctx, SummariseNation(*store_, *req), resp);
}

ServerUnaryReactor* SocDisruptionServiceImpl::GetDataVersion(
    CallbackServerContext* ctx, const peel::common::v1::DataVersionRequest*,
    peel::common::v1::DataVersion* resp) {
  peel::common::v1::DataVersion v;
  v.set_service(kServiceName);
  v.set_version(store_->DataVersion());
  return Reply(ctx, absl::StatusOr<peel::common::v1::DataVersion>(v), resp);
}

}  // namespace peel::soc
