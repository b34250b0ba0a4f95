#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace peel::store {
class Store;
}  // namespace peel::store

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

// What replaying a journal found: its entries' keys (the next checkpoint
// deletes them), how many records they name, and the next entry's number.
struct JournalReplay {
  std::vector<std::string> keys;
  int64_t records = 0;
  uint64_t next = 1;
};

// A service's journal: its names in error messages, the column family of
// its records, and how an entry's value names its records' keys.
struct JournalShape {
  const char* journal;  // e.g. "call journal"
  const char* record;   // e.g. "call"
  size_t records_cf;
  std::function<absl::Status(absl::string_view value,
                             std::vector<std::string>* keys)>
      record_keys;
};

// Replays `entries` (journal key, value; in key order) at start: each stored
// record an entry names is handed to `replay`, entry by entry. DataLoss when
// a journal key is malformed or names a missing record.
absl::StatusOr<JournalReplay> ReplayJournal(
    const store::Store& store, const JournalShape& shape,
    const std::vector<std::pair<std::string, std::string>>& entries,
    const std::function<absl::Status(absl::string_view record)>& replay);

}  // namespace peel::ingest
