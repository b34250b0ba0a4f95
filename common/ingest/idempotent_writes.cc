#include "common/ingest/idempotent_writes.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/util/status_macros.h"

namespace peel::ingest {

absl::StatusOr<std::vector<Resolution>> ResolveWrites(
    const store::Store& store, size_t cf,
    const std::vector<Candidate>& candidates) {
  std::vector<Resolution> out(candidates.size(), Resolution::kNew);
  std::vector<std::string> keys;
  keys.reserve(candidates.size());
  for (const Candidate& c : candidates) keys.push_back(c.key);
  ASSIGN_OR_RETURN(auto stored, store.MultiGet(cf, keys));

  absl::flat_hash_map<absl::string_view, const std::string*> in_batch;
  in_batch.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    const std::string* earlier = nullptr;
    if (stored[i].has_value()) {
      earlier = &*stored[i];
    } else if (auto it = in_batch.find(c.key); it != in_batch.end()) {
      earlier = it->second;
    }
    if (earlier == nullptr) {
      in_batch.emplace(c.key, &c.value);
      out[i] = Resolution::kNew;
    } else {
      out[i] =
          *earlier == c.value ? Resolution::kDuplicate : Resolution::kConflict;
    }
  }
  return out;
}

}  // namespace peel::ingest
