#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/workforce/counters.h"

// The counter rows of every force, mirrored in memory so that neither a
// write nor a profile reads RocksDB for them.
//
// Durable form: one RocksDB row per (force, day) holding that day's summed
// changes (storage::Deltas). A batch computes the new content of each day
// row it touches from the mirror, writes the rows in the batch's
// WriteBatch, and installs them in the mirror only once the write is in
// the WAL. On start-up the mirror is rebuilt from the rows.
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
  struct RowWrite {
    std::string force;
    int32_t day;
    Row row;    // the day's new content (empty: delete the row)
    Row delta;  // what changed, for the block sums
  };

  // The new content of each day row the points change. Call from the
  // single writer; the mirror is unchanged until Install.
  std::vector<RowWrite> Prepare(
      const absl::flat_hash_map<std::string, std::vector<Point>>& by_force)
      const;
  void Install(std::vector<RowWrite> writes);

  // Start-up: one stored day row.
  void Load(const std::string& force, int32_t day, Row row);

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
  };
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ForceRows> forces_ ABSL_GUARDED_BY(mu_);
};

}  // namespace peel::workforce
