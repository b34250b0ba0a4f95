#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

// A cache whose entries are valid only for the exact data versions they
// were built from. The caller reads the versions of every source BEFORE it
// reads the data, and looks up with versions it has just read: an entry
// matches only when every version is equal, so nothing is served after one
// of its sources changed (a newer write changes the version), and at worst
// an entry built from data newer than its versions is never matched again.
namespace peel::gateway {

template <typename T>
class VersionedCache {
 public:
  using Shared = std::shared_ptr<const T>;

  // `capacity` 0 disables the cache (Find never hits, Put keeps nothing).
  explicit VersionedCache(size_t capacity) : capacity_(capacity) {}

  bool enabled() const { return capacity_ > 0; }

  // The entry under `key` built from exactly `versions`, else null.
  Shared Find(const std::string& key,
              const std::vector<uint64_t>& versions) const {
    if (capacity_ == 0) return nullptr;
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.versions != versions) {
      return nullptr;
    }
    return it->second.value;
  }

  // Keeps `value`, built from data read after `versions` were, under `key`
  // (replacing what was there). At capacity an arbitrary other entry goes.
  void Put(const std::string& key, std::vector<uint64_t> versions,
           Shared value) {
    if (capacity_ == 0) return;
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() && entries_.size() >= capacity_) {
      entries_.erase(entries_.begin());
    }
    entries_[key] = Entry{std::move(versions), std::move(value)};
  }

  size_t size() const {
    absl::MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::vector<uint64_t> versions;
    Shared value;
  };
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace peel::gateway
