#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "peel/gateway/v1/gateway.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/assembly.h"
#include "services/gateway/wiring.h"

// National comparisons of one metric across every force (DESIGN §3), cached
// per (metric, period) and keyed by the data version of every shard of the
// metric's backend: each request first asks the shards for their versions
// (cheap) and recomputes only when one changed, so a cached answer is never
// stale.
namespace peel::gateway {

using ComparisonCallback =
    std::function<void(absl::StatusOr<v1::ForceComparison>)>;

// Pure part: merges the shards' values and runs the comparison. Excludes
// BTP (out of PEEL scope), forces answered twice, and reports in-scope
// forces without a value as excluded.
absl::StatusOr<v1::ForceComparison> ComputeComparison(
    const v1::Metric& metric, const peel::common::v1::Period& period,
    const std::vector<NationalValues>& shards);

class NationalComparisons {
 public:
  explicit NationalComparisons(const Wiring* wiring) : wiring_(wiring) {}

  // Calls `done` exactly once. INVALID_ARGUMENT for an unknown or not
  // comparable metric, UNAVAILABLE when the backend is not configured or a
  // shard does not answer.
  void Get(const CallScope& scope, const std::string& metric,
           const peel::common::v1::Period& period, ComparisonCallback done);

  // The two halves of Get, for a caller that needs several metrics of one
  // backend (GetForceAssessment): one version check of the backend's shards
  // serves them all. FetchVersions answers the failing shard's error code,
  // naming the shard; GetAt answers the cached comparison when `versions` match
  // the cached entry's, else fetches and caches a new one.
  using VersionsCallback =
      std::function<void(absl::StatusOr<std::vector<uint64_t>>)>;
  void FetchVersions(const CallScope& scope, v1::Backend backend,
                     VersionsCallback done);
  // `done(comparison, from_cache)`: the cached answer itself, not a copy.
  using SharedCallback = std::function<void(SharedComparison, bool)>;
  void GetAt(const CallScope& scope, const v1::Metric* metric,
             const peel::common::v1::Period& period,
             absl::StatusOr<std::vector<uint64_t>> versions,
             SharedCallback done);

  // Pre-validation shared with the RPC handler.
  absl::StatusOr<const v1::Metric*> Comparable(const std::string& metric) const;

 private:
  struct Entry {
    std::vector<uint64_t> versions;
    // Failures (fewer than three forces...) are cached too.
    SharedComparison comparison;
  };
  void Fetch(const CallScope& scope, const v1::Metric* metric,
             const peel::common::v1::Period& period,
             std::vector<uint64_t> versions, SharedCallback done);

  const Wiring* wiring_;
  absl::Mutex mu_;
  std::map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace peel::gateway
