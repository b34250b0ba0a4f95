#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/workforce/counters.h"

// The counter rows of every force, mirrored in memory so that neither a
// write nor a profile reads RocksDB for them.
//
// Durable form: one RocksDB row per (force, day) holding that day's summed
// changes (storage::Deltas), plus a log of the changes made since the rows
// were last written (see WorkforceStore). On start-up the mirror is rebuilt
// from the rows and the log replayed on top.
//
// Query form: the day rows plus, per 64-day block, the block's sum; the
// prefix sum as at day D adds the blocks before D's block and the days of
// D's block up to D, so its cost depends on the span of dates and the
// number of counter cells, not on the number of people stored.
namespace peel::workforce {

struct CellSum {
  uint32_t cell;
  Sum sum;
};
using Row = std::vector<CellSum>;  // sorted by cell, no zero entries

// Adds (count, fte) to `cell` of `row`, dropping the entry when it is zero.
void AddToRow(Row* row, uint32_t cell, int64_t count, int64_t fte_e4);
std::string SerializeRow(const Row& row);
bool ParseRow(absl::string_view bytes, Row* row);

class DayCounters {
 public:
  // One day's change.
  struct DayDelta {
    std::string force;
    int32_t day;
    Row delta;
  };
  struct DirtyRow {
    std::string force;
    int32_t day;
    Row row;  // current content; empty: the row is to be deleted
  };

  // The points merged by (force, day, cell), zero changes dropped; sorted
  // by force and day. Pure: the mirror is not read.
  static std::vector<DayDelta> Merge(
      const absl::flat_hash_map<std::string, std::vector<Point>>& by_force);
  // Applies the changes to the day rows and block sums and marks the days
  // dirty (not yet in their stored rows).
  void Install(const std::vector<DayDelta>& deltas);

  // Start-up: one stored day row (clean).
  void Load(const std::string& force, int32_t day, Row row);

  // Checkpoint: the dirty days' current rows in key order; ClearDirty once
  // they are written.
  std::vector<DirtyRow> DirtyRows() const;
  void ClearDirty();

  CounterSums SumTo(absl::string_view force, int32_t day) const;
  // Both sums from one state of the mirror, so flows (differences of the
  // two) never mix a batch's changes with their absence.
  std::pair<CounterSums, CounterSums> SumToBoth(absl::string_view force,
                                                int32_t first,
                                                int32_t second) const;
  bool HasForce(absl::string_view force) const;

  static int32_t Block(int32_t day) {
    return day >= 0 ? day / 64 : -((-day + 63) / 64);
  }

 private:
  struct ForceRows;
  static CounterSums PrefixSum(const ForceRows& f, int32_t day);
  struct ForceRows {
    absl::btree_map<int32_t, Row> days;
    absl::btree_map<int32_t, Row> blocks;
    absl::btree_set<int32_t> dirty;
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ForceRows> forces_ ABSL_GUARDED_BY(mu_);
};

}  // namespace peel::workforce
