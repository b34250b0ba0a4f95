#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

// The last answer of a costly read, kept with the store's data version and
// the request it answered: while no write has moved the version, the same
// request gets the same answer without recomputing it. National views read
// every force's aggregates (thousands of point reads and merges) and are
// asked for in every assessment, while the data changes only with ingest.
//
// Read the version BEFORE computing and Put with it: a write racing the
// computation can only make the stored answer newer than its version, and
// any later call sees a newer version and recomputes.
namespace peel::server {

template <typename Response>
class VersionedMemo {
 public:
  std::optional<Response> Get(uint64_t version, const std::string& request) {
    absl::MutexLock lock(&mu_);
    if (answer_.has_value() && version_ == version && request_ == request) {
      return answer_;
    }
    return std::nullopt;
  }

  void Put(uint64_t version, std::string request, const Response& answer) {
    absl::MutexLock lock(&mu_);
    version_ = version;
    request_ = std::move(request);
    answer_ = answer;
  }

 private:
  absl::Mutex mu_;
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  std::string request_ ABSL_GUARDED_BY(mu_);
  std::optional<Response> answer_ ABSL_GUARDED_BY(mu_);
};

// `compute()` unless the memo holds the answer to `request` at `version`.
template <typename Response, typename Request, typename Compute>
auto Memoized(VersionedMemo<Response>* memo, uint64_t version,
              const Request& request, Compute compute) -> decltype(compute()) {
  const std::string key = request.SerializeAsString();
  if (auto hit = memo->Get(version, key)) return *std::move(hit);
  auto answer = compute();
  if (answer.ok()) memo->Put(version, key, *answer);
  return answer;
}

}  // namespace peel::server
