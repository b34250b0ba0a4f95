#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// For services that keep their aggregates in memory and journal them: each
// ingest batch writes, beside its records, one journal entry ('J' n in the
// aggregates column family) naming the records it accepted, instead of
// every aggregate it moves; every so often a checkpoint writes the changed
// aggregates in full and deletes the entries it covers. At start the stored
// aggregates plus the remaining entries' records, read back, rebuild them.
namespace peel::ingest {

// When a checkpoint is due: once the journal names this many records, or
// holds this many entries.
struct AggregateCheckpoints {
  int64_t records = 131072;
  int batches = 256;
};

// The key of journal entry n (entries sort by n).
std::string JournalKey(uint64_t n);
// Entry n's number; false when `key` is not a journal key.
bool ReadJournalKey(absl::string_view key, uint64_t* n);

}  // namespace peel::ingest
