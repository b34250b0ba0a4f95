#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/store.h"

// Decides, for the candidate records of one batch, which are new, which are
// already stored with the same bytes (duplicates: a retried batch changes
// nothing) and which reuse an id with different content (conflicts:
// rejected). Records repeated inside the batch are resolved against the
// first occurrence. Callers hold their service's write lock across Resolve
// and the Write that follows, so two streams cannot both count a record.
namespace peel::ingest {

enum class Resolution { kNew, kDuplicate, kConflict };

struct Candidate {
  std::string key;    // the record's primary key in `cf`
  std::string value;  // its deterministic serialization
};

absl::StatusOr<std::vector<Resolution>> ResolveWrites(
    const store::Store& store, size_t cf,
    const std::vector<Candidate>& candidates);

// Deterministic bytes for a message: equal content gives equal bytes.
template <typename Message>
std::string CanonicalBytes(const Message& m) {
  std::string out;
  out.reserve(m.ByteSizeLong());
  m.SerializeToString(&out);  // proto3 without maps: field order is fixed
  return out;
}

}  // namespace peel::ingest
