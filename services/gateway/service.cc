#include "services/gateway/service.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/reference/forces.h"
#include "common/server/status_conversion.h"
#include "common/server/unary.h"
#include "common/validation/common_fields.h"
#include "services/gateway/assembly.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/join.h"

namespace peel::gateway {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
using server::Reply;
using Clock = std::chrono::system_clock;

CallScope AssessmentGatewayImpl::ScopeFor(
    const CallbackServerContext* ctx) const {
  const Clock::time_point now = Clock::now();
  Clock::time_point deadline = now + options_.backend_timeout;
  const Clock::time_point caller = ctx->deadline();
  if (caller < deadline) {
    const auto remaining = caller - now;
    auto reserve = std::chrono::duration_cast<Clock::duration>(
        remaining * options_.reserve_fraction);
    if (reserve < options_.min_reserve) reserve = options_.min_reserve;
    deadline = caller - reserve;
  }
  return CallScope(ctx, deadline);
}

namespace {

// The state of one GetForceAssessment while its backend calls are out.
struct AssessmentCall {
  ServerUnaryReactor* reactor;
  v1::ForceAssessment* response;
  const reference::Force* force;
  peel::common::v1::Period period;
  v1::ListJudgmentsResponse recorded;
  std::vector<BackendOutcome> outcomes;  // one per backend, fixed size
  // Comparison results land here first (one slot per task), then move into
  // their outcome when the join completes.
  struct ComparisonSlot {
    size_t outcome;
    std::string metric;
    SharedComparison result = nullptr;
  };
  std::vector<ComparisonSlot> comparison_slots;
  Clock::time_point started;
};

}  // namespace

ServerUnaryReactor* AssessmentGatewayImpl::GetForceAssessment(
    CallbackServerContext* ctx, const v1::GetForceAssessmentRequest* req,
    v1::ForceAssessment* resp) {
  {
    validation::FieldViolations v;
    validation::CheckForce("force", req->force(), &v);
    if (req->has_period()) validation::CheckPeriod("period", req->period(), &v);
    if (!v.empty()) {
      return Reply<v1::ForceAssessment>(ctx, v.ToStatus(), resp);
    }
  }
  auto recorded = store_->List(req->force(), v1::AREA_UNSPECIFIED);
  if (!recorded.ok()) {
    return Reply<v1::ForceAssessment>(ctx, recorded.status(), resp);
  }

  auto* call = new AssessmentCall;
  call->reactor = ctx->DefaultReactor();
  call->response = resp;
  call->force = reference::FindForce(req->force());
  call->period = req->period();
  call->recorded = std::move(*recorded);
  call->started = Clock::now();
  const CallScope scope = ScopeFor(ctx);

  // Decide every task before launching any, so the slots never move.
  struct Task {
    size_t outcome;
    const Shard* shard;
    BackendAdapter* adapter;
  };
  std::vector<Task> force_tasks;
  for (const BackendInfo& info : Backends()) {
    BackendOutcome o;
    o.backend = info.backend;
    const BackendPool* pool = wiring_->pool(info.backend);
    BackendAdapter* adapter = wiring_->adapter(info.backend);
    o.configured = pool != nullptr;
    if (pool != nullptr) o.addresses = pool->addresses();
    const size_t index = call->outcomes.size();
    if (pool == nullptr) {
      o.status = absl::UnavailableError(
          absl::StrCat(info.service, " is not configured (--", info.flag, ")"));
    } else if (adapter == nullptr) {
      o.status = absl::UnavailableError(
          absl::StrCat("this gateway build has no adapter for ", info.service));
    } else if (const Shard* shard = pool->ShardFor(req->force());
               shard == nullptr) {
      o.status = absl::UnavailableError(absl::StrCat(
          "no ", info.service, " shard owns force '", req->force(), "'"));
    } else {
      force_tasks.push_back({index, shard, adapter});
      for (const v1::Metric& m : Metrics()) {
        if (m.source() == info.backend && m.nationally_comparable()) {
          call->comparison_slots.push_back({index, m.id()});
        }
      }
    }
    call->outcomes.push_back(std::move(o));
  }

  auto* join = new Join(
      static_cast<int>(force_tasks.size() + call->comparison_slots.size()) + 1,
      [this, call]() {
        for (auto& slot : call->comparison_slots) {
          call->outcomes[slot.outcome].comparisons.emplace(
              slot.metric, std::move(slot.result));
        }
        *call->response = Assemble(*call->force, call->period, policy_,
                                   call->recorded, call->outcomes);
        call->reactor->Finish(grpc::Status::OK);
        delete call;
      });
  for (const Task& t : force_tasks) {
    t.adapter->FetchForce(
        scope, t.shard->channel, req->force(), req->period(),
        [call, join, index = t.outcome](absl::StatusOr<ForceEvidence> e) {
          BackendOutcome& o = call->outcomes[index];
          o.latency_micros =
              std::chrono::duration_cast<std::chrono::microseconds>(
                  Clock::now() - call->started)
                  .count();
          if (e.ok()) {
            o.status = absl::OkStatus();
            o.evidence = std::move(*e);
          } else {
            o.status = absl::Status(
                e.status().code(),
                absl::StrCat(BackendOf(o.backend).service, " at ",
                             o.addresses.empty() ? "" : o.addresses.front(),
                             ": ", absl::StatusCodeToString(e.status().code()),
                             ": ", e.status().message()));
          }
          join->Done();
        });
  }
  // One version check per backend, shared by all of its metrics.
  std::map<size_t, std::vector<size_t>> slots_of_outcome;
  for (size_t i = 0; i < call->comparison_slots.size(); ++i) {
    slots_of_outcome[call->comparison_slots[i].outcome].push_back(i);
  }
  for (auto& [outcome, slots] : slots_of_outcome) {
    comparisons_.FetchVersions(
        scope, call->outcomes[outcome].backend,
        [this, scope, call, join, slots = std::move(slots)](
            absl::StatusOr<std::vector<uint64_t>> versions) {
          for (size_t i : slots) {
            comparisons_.GetAt(
                scope, FindMetric(call->comparison_slots[i].metric),
                call->period, versions,
                [call, join, i](SharedComparison c, bool) {
                  call->comparison_slots[i].result = std::move(c);
                  join->Done();
                });
          }
        });
  }
  // The last Done() may finish and delete `call`: take the reactor first.
  ServerUnaryReactor* reactor = call->reactor;
  join->Done();
  return reactor;
}

ServerUnaryReactor* AssessmentGatewayImpl::CompareForces(
    CallbackServerContext* ctx, const v1::CompareForcesRequest* req,
    v1::ForceComparison* resp) {
  ServerUnaryReactor* reactor = ctx->DefaultReactor();
  {
    validation::FieldViolations v;
    if (req->has_period()) validation::CheckPeriod("period", req->period(), &v);
    auto m = comparisons_.Comparable(req->metric());
    if (!m.ok() && m.status().code() == absl::StatusCode::kInvalidArgument) {
      v.Add("metric", m.status().message());
    }
    if (!v.empty()) {
      reactor->Finish(server::ToGrpcStatus(v.ToStatus()));
      return reactor;
    }
  }
  comparisons_.Get(ScopeFor(ctx), req->metric(), req->period(),
                   [reactor, resp](absl::StatusOr<v1::ForceComparison> c) {
                     if (c.ok()) {
                       *resp = std::move(*c);
                       reactor->Finish(grpc::Status::OK);
                     } else {
                       reactor->Finish(server::ToGrpcStatus(c.status()));
                     }
                   });
  return reactor;
}

ServerUnaryReactor* AssessmentGatewayImpl::ListMetrics(
    CallbackServerContext* ctx, const v1::ListMetricsRequest*,
    v1::ListMetricsResponse* resp) {
  v1::ListMetricsResponse out;
  for (const auto& m : Metrics()) *out.add_metrics() = m;
  return Reply(ctx, absl::StatusOr<v1::ListMetricsResponse>(std::move(out)),
               resp);
}

namespace {

absl::StatusOr<v1::RecordResponse> ToResponse(absl::StatusOr<Recorded> r,
                                              const std::string& id) {
  if (!r.ok()) return r.status();
  v1::RecordResponse out;
  out.set_id(id);
  out.set_duplicate(r->duplicate);
  out.set_sequence(r->sequence);
  return out;
}

}  // namespace

ServerUnaryReactor* AssessmentGatewayImpl::RecordJudgment(
    CallbackServerContext* ctx, const v1::RecordJudgmentRequest* req,
    v1::RecordResponse* resp) {
  return Reply(ctx,
               ToResponse(store_->RecordJudgment(req->judgment()),
                          req->judgment().judgment_id()),
               resp);
}

ServerUnaryReactor* AssessmentGatewayImpl::RecordFinding(
    CallbackServerContext* ctx, const v1::RecordFindingRequest* req,
    v1::RecordResponse* resp) {
  return Reply(ctx,
               ToResponse(store_->RecordFinding(req->finding()),
                          req->finding().finding_id()),
               resp);
}

ServerUnaryReactor* AssessmentGatewayImpl::RecordRecommendationStatus(
    CallbackServerContext* ctx,
    const v1::RecordRecommendationStatusRequest* req,
    v1::RecordResponse* resp) {
  return Reply(ctx,
               ToResponse(store_->RecordRecommendationStatus(req->status()),
                          req->status().status_id()),
               resp);
}

ServerUnaryReactor* AssessmentGatewayImpl::RecordMonitoringStatus(
    CallbackServerContext* ctx, const v1::RecordMonitoringStatusRequest* req,
    v1::RecordResponse* resp) {
  return Reply(ctx,
               ToResponse(store_->RecordMonitoringStatus(req->status()),
                          req->status().status_id()),
               resp);
}

ServerUnaryReactor* AssessmentGatewayImpl::ListJudgments(
    CallbackServerContext* ctx, const v1::ListJudgmentsRequest* req,
    v1::ListJudgmentsResponse* resp) {
  validation::FieldViolations v;
  validation::CheckForce("force", req->force(), &v);
  if (req->area() != v1::AREA_UNSPECIFIED && FindArea(req->area()) == nullptr) {
    v.Add("area", absl::StrCat("unknown value ", req->area()));
  }
  if (!v.empty()) {
    return Reply<v1::ListJudgmentsResponse>(ctx, v.ToStatus(), resp);
  }
  return Reply(ctx, store_->List(req->force(), req->area()), resp);
}

ServerUnaryReactor* AssessmentGatewayImpl::GetDataVersion(
    CallbackServerContext* ctx, const peel::common::v1::DataVersionRequest*,
    peel::common::v1::DataVersion* resp) {
  peel::common::v1::DataVersion v;
  v.set_service(kServiceName);
  v.set_version(store_->DataVersion());
  return Reply(ctx, absl::StatusOr<peel::common::v1::DataVersion>(v), resp);
}

}  // namespace peel::gateway
