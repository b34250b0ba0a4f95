#include "services/gateway/service.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// The state of one GetForceAssessment while its backend calls are out.
struct AssessmentCall {
  explicit AssessmentCall(CallScope s) : scope(s) {}
  CallScope scope;
  ServerUnaryReactor* reactor = nullptr;
  v1::ForceAssessment* response = nullptr;
  const reference::Force* force = nullptr;
  std::string force_id;
  peel::common::v1::Period period;
  Clock::time_point started;
  std::string key;  // AssessmentKey
  // The gateway's store version, read before anything else.
  uint64_t store_version = 0;
  std::vector<BackendOutcome> outcomes;  // one per entry of Backends()
  // Per outcome: whether the backend is asked (configured, with an adapter
  // and a shard owning the force), and its shards' data versions.
  std::vector<bool> asked;
  std::vector<absl::StatusOr<std::vector<uint64_t>>> versions;
  // Per outcome: its evidence from the cache, copied into the outcome only
  // when the assessment is assembled (not when the whole one is cached).
  std::vector<EvidenceCache::Shared> cached_evidence;
  // Comparison results land here first (one slot per task), then move into
  // their outcome when the join completes.
  struct ComparisonSlot {
    size_t outcome;
    std::string metric;
    SharedComparison result = nullptr;
  };
  std::vector<ComparisonSlot> comparison_slots;
};

namespace {

int64_t MicrosSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t)
      .count();
}

std::string EvidenceKey(v1::Backend backend, const std::string& key) {
  return absl::StrCat(static_cast<int>(backend), "|", key);
}

// The store version then every asked shard's version, in Backends() order;
// empty when one could not be read (nothing is cached then).
std::vector<uint64_t> AllVersions(const AssessmentCall& call) {
  std::vector<uint64_t> all = {call.store_version};
  for (size_t i = 0; i < call.outcomes.size(); ++i) {
    if (!call.asked[i]) continue;
    if (!call.versions[i].ok()) return {};
    all.insert(all.end(), call.versions[i]->begin(), call.versions[i]->end());
  }
  return all;
}

// Whether an assembled assessment may be cached: every backend asked
// answered, and every comparison is either computed or failed because of
// the data (too few forces), not because a call failed. Backends not asked
// (not configured, no owning shard) are fixed by the gateway's flags.
bool Cacheable(const AssessmentCall& call) {
  for (size_t i = 0; i < call.outcomes.size(); ++i) {
    if (call.asked[i] && !call.outcomes[i].status.ok()) return false;
  }
  for (const auto& slot : call.comparison_slots) {
    if (slot.result == nullptr) return false;
    const absl::Status& s = slot.result->status();
    if (!s.ok() && s.code() != absl::StatusCode::kFailedPrecondition) {
      return false;
    }
  }
  return true;
}

}  // namespace

// Per asked backend, in parallel: its data versions, then its evidence from
// the cache when built from those versions (else FetchForce) and its
// comparisons keyed by them. A slow or failed backend delays or marks only
// its own areas. When every backend is done: the whole cached assessment
// when the store and every version still match, else the assembly.
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
  auto* call = new AssessmentCall(ScopeFor(ctx));
  call->reactor = ctx->DefaultReactor();
  call->response = resp;
  call->force = reference::FindForce(req->force());
  call->force_id = req->force();
  call->period = req->period();
  call->started = Clock::now();
  call->store_version = store_->DataVersion();
  const bool unset =
      call->period.start_date().empty() && call->period.end_date().empty();
  call->key = AssessmentKey(
      call->force_id, call->period,
      unset ? EndOrToday(peel::common::v1::Period()) : std::string());

  // Decide every task before launching any, so the slots never move.
  struct Task {
    size_t outcome;
    const Shard* shard;
    BackendAdapter* adapter;
  };
  std::vector<Task> tasks;
  for (const BackendInfo& info : Backends()) {
    BackendOutcome o;
    o.backend = info.backend;
    const BackendPool* pool = wiring_->pool(info.backend);
    BackendAdapter* adapter = wiring_->adapter(info.backend);
    o.configured = pool != nullptr;
    if (pool != nullptr) o.addresses = pool->addresses();
    const size_t index = call->outcomes.size();
    bool asked = false;
    if (pool == nullptr) {
      o.status = absl::UnavailableError(
          absl::StrCat(info.service, " is not configured (--", info.flag, ")"));
    } else if (adapter == nullptr) {
      o.status = absl::UnavailableError(
          absl::StrCat("this gateway build has no adapter for ", info.service));
    } else if (const Shard* shard = pool->ShardFor(call->force_id);
               shard == nullptr) {
      o.status = absl::UnavailableError(absl::StrCat(
          "no ", info.service, " shard owns force '", call->force_id, "'"));
    } else {
      asked = true;
      tasks.push_back({index, shard, adapter});
      for (const v1::Metric& m : Metrics()) {
        if (m.source() == info.backend && m.nationally_comparable()) {
          call->comparison_slots.push_back({index, m.id()});
        }
      }
    }
    call->outcomes.push_back(std::move(o));
    call->asked.push_back(asked);
    call->versions.push_back(absl::UnavailableError("not asked"));
    call->cached_evidence.push_back(nullptr);
  }

  auto* join = new Join(
      static_cast<int>(tasks.size() + call->comparison_slots.size()) + 1,
      [this, call]() { Finish(call); });
  for (const Task& t : tasks) {
    std::vector<size_t> slots;
    for (size_t i = 0; i < call->comparison_slots.size(); ++i) {
      if (call->comparison_slots[i].outcome == t.outcome) slots.push_back(i);
    }
    comparisons_.FetchVersions(
        call->scope, call->outcomes[t.outcome].backend,
        [this, call, join, t, slots = std::move(slots)](
            absl::StatusOr<std::vector<uint64_t>> versions) {
          call->versions[t.outcome] = versions;
          for (size_t i : slots) {
            comparisons_.GetAt(
                call->scope, FindMetric(call->comparison_slots[i].metric),
                call->period, versions,
                [call, join, i](SharedComparison c, bool) {
                  call->comparison_slots[i].result = std::move(c);
                  join->Done();
                });
          }
          FetchEvidence(call, t.outcome, t.shard, t.adapter, join);
        });
  }
  // The last Done() may finish and delete `call`: take the reactor first.
  ServerUnaryReactor* reactor = call->reactor;
  join->Done();
  return reactor;
}

void AssessmentGatewayImpl::FetchEvidence(AssessmentCall* call, size_t index,
                                          const Shard* shard,
                                          BackendAdapter* adapter, Join* join) {
  BackendOutcome& o = call->outcomes[index];
  const absl::StatusOr<std::vector<uint64_t>>& versions = call->versions[index];
  if (!versions.ok()) {
    // The backend did not answer its version check: its areas are
    // unavailable rather than waiting again on a backend that is down.
    o.latency_micros = MicrosSince(call->started);
    o.status = absl::Status(
        versions.status().code(),
        absl::StrCat(BackendOf(o.backend).service, ": ",
                     absl::StatusCodeToString(versions.status().code()), ": ",
                     versions.status().message()));
    join->Done();
    return;
  }
  const std::string key = EvidenceKey(o.backend, call->key);
  if (EvidenceCache::Shared hit = evidence_.Find(key, *versions)) {
    o.latency_micros = MicrosSince(call->started);
    o.status = absl::OkStatus();
    call->cached_evidence[index] = std::move(hit);
    join->Done();
    return;
  }
  adapter->FetchForce(
      call->scope, shard->channel, call->force_id, call->period,
      [this, call, join, index, key](absl::StatusOr<ForceEvidence> e) {
        BackendOutcome& o = call->outcomes[index];
        o.latency_micros = MicrosSince(call->started);
        if (e.ok()) {
          o.status = absl::OkStatus();
          o.evidence = std::move(*e);
          evidence_.Put(key, *call->versions[index],
                        std::make_shared<const ForceEvidence>(o.evidence));
        } else {
          o.status = absl::Status(
              e.status().code(),
              absl::StrCat(BackendOf(o.backend).service, " at ",
                           o.addresses.empty() ? "" : o.addresses.front(), ": ",
                           absl::StatusCodeToString(e.status().code()), ": ",
                           e.status().message()));
        }
        join->Done();
      });
}

void AssessmentGatewayImpl::Finish(AssessmentCall* call) {
  std::vector<uint64_t> all = AllVersions(*call);
  if (!all.empty()) {
    if (AssessmentCache::Shared hit = assessments_.Find(call->key, all)) {
      *call->response = *hit;
      // This assessment's own calls: the version checks.
      for (auto& b : *call->response->mutable_backends()) {
        for (const BackendOutcome& o : call->outcomes) {
          if (o.backend == b.backend()) b.set_latency_micros(o.latency_micros);
        }
      }
      call->reactor->Finish(grpc::Status::OK);
      delete call;
      return;
    }
  }
  auto recorded = store_->List(call->force_id, v1::AREA_UNSPECIFIED);
  if (!recorded.ok()) {
    call->reactor->Finish(server::ToGrpcStatus(recorded.status()));
    delete call;
    return;
  }
  for (size_t i = 0; i < call->outcomes.size(); ++i) {
    if (call->cached_evidence[i] != nullptr) {
      call->outcomes[i].evidence = *call->cached_evidence[i];
    }
  }
  for (auto& slot : call->comparison_slots) {
    call->outcomes[slot.outcome].comparisons.emplace(slot.metric, slot.result);
  }
  *call->response =
      Assemble(*call->force, call->period, policy_, *recorded, call->outcomes);
  if (!all.empty() && assessments_.enabled() && Cacheable(*call)) {
    assessments_.Put(
        call->key, std::move(all),
        std::make_shared<const v1::ForceAssessment>(*call->response));
  }
  call->reactor->Finish(grpc::Status::OK);
  delete call;
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
