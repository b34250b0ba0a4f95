#include "services/gateway/comparisons.h"

#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/reference/forces.h"
#include "common/stats/national_comparison.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/join.h"

namespace peel::gateway {
namespace {

v1::Position ToPosition(stats::Position p) {
  switch (p) {
    case stats::Position::kWellAbove:
      return v1::WELL_ABOVE;
    case stats::Position::kWellBelow:
      return v1::WELL_BELOW;
    case stats::Position::kWithin:
      return v1::WITHIN;
  }
  return v1::WITHIN;
}

v1::ShapiroWilk ToProto(const stats::ShapiroWilkResult& r) {
  v1::ShapiroWilk out;
  out.set_w(r.w);
  out.set_p(r.p);
  out.set_n(r.n);
  return out;
}

std::string CacheKey(const std::string& metric,
                     const peel::common::v1::Period& p) {
  return absl::StrCat(metric, "|", p.start_date(), "|", p.end_date());
}

}  // namespace

absl::StatusOr<v1::ForceComparison> ComputeComparison(
    const v1::Metric& metric, const peel::common::v1::Period& period,
    const std::vector<NationalValues>& shards) {
  v1::ForceComparison out;
  *out.mutable_metric() = metric;
  *out.mutable_period() = period;
  std::map<std::string, v1::ForceValue> by_force;  // sorted by slug
  for (const auto& shard : shards) {
    for (const auto& v : shard.values) {
      const reference::Force* f = reference::FindForce(v.force());
      if (f == nullptr) {
        auto* e = out.add_excluded();
        e->set_force(v.force());
        e->set_reason("unknown force");
      } else if (!f->in_peel_scope) {
        auto* e = out.add_excluded();
        e->set_force(v.force());
        e->set_reason("outside PEEL scope");
      } else if (!by_force.emplace(v.force(), v).second) {
        auto* e = out.add_excluded();
        e->set_force(v.force());
        e->set_reason("answered by two shards: check the shard routing");
        by_force.erase(v.force());
      }
    }
  }
  for (const reference::Force& f : reference::AllForces()) {
    if (f.in_peel_scope && by_force.count(std::string(f.slug)) == 0) {
      bool listed = false;
      for (const auto& e : out.excluded()) listed |= e.force() == f.slug;
      if (!listed) {
        auto* e = out.add_excluded();
        e->set_force(std::string(f.slug));
        e->set_reason("no data for the period");
      }
    }
  }
  std::vector<stats::ForceValue> values;
  for (const auto& [force, v] : by_force) values.push_back({force, v.value()});
  auto result = stats::CompareNationally(
      values, metric.polarity() != v1::LOWER_IS_BETTER);
  if (!result.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no national comparison of '", metric.id(), "' (", by_force.size(),
        " forces with data): ", result.status().message()));
  }
  *out.mutable_raw() = ToProto(result->raw);
  out.set_log_tested(result->log_tested);
  if (result->log_tested) *out.mutable_log() = ToProto(result->log);
  out.set_logged(result->space == stats::ComparisonSpace::kLog);
  out.set_mean(result->mean);
  out.set_sd(result->sd);
  out.set_mean_value(result->mean_value);
  out.set_lower(result->lower);
  out.set_upper(result->upper);
  for (const auto& fc : result->forces) {
    v1::ForceValue v = by_force[fc.force];
    v.set_z(fc.z);
    v.set_position(ToPosition(fc.position));
    *out.add_forces() = std::move(v);
  }
  return out;
}

absl::StatusOr<const v1::Metric*> NationalComparisons::Comparable(
    const std::string& metric) const {
  const v1::Metric* m = FindMetric(metric);
  if (m == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metric: unknown metric '", metric, "' (see ListMetrics)"));
  }
  if (!m->nationally_comparable()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metric: '", metric, "' has no national comparison (see ListMetrics)"));
  }
  if (wiring_->pool(m->source()) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("backend for '", metric, "' is not configured (--",
                     BackendOf(m->source()).flag, ")"));
  }
  if (wiring_->adapter(m->source()) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("this gateway build has no adapter for ",
                     BackendOf(m->source()).service));
  }
  return m;
}

void NationalComparisons::Get(const CallScope& scope, const std::string& metric,
                              const peel::common::v1::Period& period,
                              ComparisonCallback done) {
  auto m = Comparable(metric);
  if (!m.ok()) {
    done(m.status());
    return;
  }
  const v1::Metric* metric_def = *m;
  FetchVersions(
      scope, metric_def->source(),
      [this, scope, metric_def, period, done = std::move(done)](
          absl::StatusOr<std::vector<uint64_t>> versions) mutable {
        GetAt(scope, metric_def, period, std::move(versions),
              [done = std::move(done)](SharedComparison c, bool from_cache) {
                absl::StatusOr<v1::ForceComparison> copy = *c;
                if (copy.ok()) copy->set_from_cache(from_cache);
                done(std::move(copy));
              });
      });
}

void NationalComparisons::FetchVersions(const CallScope& scope,
                                        v1::Backend backend,
                                        VersionsCallback done) {
  const BackendPool* pool = wiring_->pool(backend);
  BackendAdapter* adapter = wiring_->adapter(backend);
  if (pool == nullptr || adapter == nullptr) {
    done(absl::UnavailableError(
        absl::StrCat(BackendOf(backend).service, " is not configured")));
    return;
  }
  const size_t n = pool->shards().size();
  struct State {
    std::vector<absl::StatusOr<peel::common::v1::DataVersion>> versions;
  };
  auto state = std::make_shared<State>();
  state->versions.resize(n, absl::UnknownError("no answer"));
  auto* join = new Join(static_cast<int>(n) + 1, [pool, backend, state,
                                                  done = std::move(done)]() {
    std::vector<uint64_t> versions;
    for (size_t i = 0; i < state->versions.size(); ++i) {
      if (!state->versions[i].ok()) {
        // The shard's own code (UNAVAILABLE,
        // DEADLINE_EXCEEDED...), naming the shard.
        const absl::Status& s = state->versions[i].status();
        done(absl::Status(
            s.code(),
            absl::StrCat(BackendOf(backend).service, " shard ",
                         pool->shards()[i].spec.address, ": ", s.message())));
        return;
      }
      versions.push_back(state->versions[i]->version());
    }
    done(std::move(versions));
  });
  for (size_t i = 0; i < n; ++i) {
    const Shard& shard = pool->shards()[i];
    // Read now, after the request arrived: a pushed version still trusted
    // is at least every write acknowledged before (version_watch.h).
    if (shard.watch != nullptr) {
      if (std::optional<uint64_t> v = shard.watch->Trusted()) {
        state->versions[i] = peel::common::v1::DataVersion();
        state->versions[i]->set_version(*v);
        join->Done();
        continue;
      }
    }
    adapter->FetchDataVersion(
        scope, shard.channel,
        [state, i, join](absl::StatusOr<peel::common::v1::DataVersion> v) {
          state->versions[i] = std::move(v);
          join->Done();
        });
  }
  join->Done();
}

void NationalComparisons::GetAt(const CallScope& scope,
                                const v1::Metric* metric,
                                const peel::common::v1::Period& period,
                                absl::StatusOr<std::vector<uint64_t>> versions,
                                SharedCallback done) {
  if (!versions.ok()) {
    done(std::make_shared<const absl::StatusOr<v1::ForceComparison>>(
             versions.status()),
         false);
    return;
  }
  {
    SharedComparison cached;
    {
      absl::MutexLock lock(&mu_);
      auto it = cache_.find(CacheKey(metric->id(), period));
      if (it != cache_.end() && it->second.versions == *versions) {
        cached = it->second.comparison;
      }
    }
    if (cached != nullptr) {
      done(std::move(cached), true);
      return;
    }
  }
  Fetch(scope, metric, period, std::move(*versions), std::move(done));
}

void NationalComparisons::Fetch(const CallScope& scope,
                                const v1::Metric* metric,
                                const peel::common::v1::Period& period,
                                std::vector<uint64_t> versions,
                                SharedCallback done) {
  const BackendPool* pool = wiring_->pool(metric->source());
  BackendAdapter* adapter = wiring_->adapter(metric->source());
  const size_t n = pool->shards().size();
  struct State {
    std::vector<absl::StatusOr<NationalValues>> values;
  };
  auto state = std::make_shared<State>();
  state->values.resize(n, absl::UnknownError("no answer"));
  auto* join = new Join(static_cast<int>(n) + 1, [this, metric, period, state,
                                                  versions, done]() {
    std::vector<NationalValues> shards;
    for (size_t i = 0; i < state->values.size(); ++i) {
      if (!state->values[i].ok()) {
        done(std::make_shared<const absl::StatusOr<v1::ForceComparison>>(
                 absl::UnavailableError(absl::StrCat(
                     BackendOf(metric->source()).service, " shard ",
                     wiring_->pool(metric->source())->shards()[i].spec.address,
                     ": ", state->values[i].status().message()))),
             false);
        return;
      }
      shards.push_back(std::move(*state->values[i]));
    }
    auto c = ComputeComparison(*metric, period, shards);
    if (c.ok()) {
      for (uint64_t v : versions) {
        auto* dv = c->add_versions();
        dv->set_service(std::string(BackendOf(metric->source()).service));
        dv->set_version(v);
      }
    }
    auto shared = std::make_shared<const absl::StatusOr<v1::ForceComparison>>(
        std::move(c));
    {
      absl::MutexLock lock(&mu_);
      cache_[CacheKey(metric->id(), period)] = Entry{versions, shared};
    }
    done(std::move(shared), false);
  });
  for (size_t i = 0; i < n; ++i) {
    adapter->FetchNational(scope, pool->shards()[i].channel, metric->id(),
                           period,
                           [state, i, join](absl::StatusOr<NationalValues> v) {
                             state->values[i] = std::move(v);
                             join->Done();
                           });
  }
  join->Done();
}

}  // namespace peel::gateway
