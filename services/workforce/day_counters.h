#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
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
// Query form: per force, the days grouped in spans of 512 days (~1.4
// years); each span holds its days' rows and a dense array of their sum.
// Inside the mirror a row is keyed by a slot (a small index given to each
// cell when first seen) rather than the cell, so sums add into plain
// arrays. The prefix sum as at day D adds the spans before D's span and the
// days of its span up to D: a few tens of thousands of additions whatever
// the number of people stored.
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
  // Applies the changes to the day rows and span sums and marks the days
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

 private:
  static constexpr int32_t kDaysPerSpan = 512;
  using Dense = std::vector<Sum>;  // indexed by slot
  struct SpanRows {
    Dense sum;              // the span's days added up
    std::vector<Row> days;  // kDaysPerSpan rows, keyed by slot
    std::array<uint64_t, kDaysPerSpan / 64> dirty{};  // not yet stored
  };
  struct ForceRows {
    int32_t first_span = 0;  // spans[i] is span first_span + i
    std::vector<SpanRows> spans;
  };
  static int32_t SpanOf(int32_t day) {
    return day >= 0 ? day / kDaysPerSpan
                    : -((-day + kDaysPerSpan - 1) / kDaysPerSpan);
  }
  static void AddRow(const Row& row, Dense* acc);
  CounterSums PrefixSum(const ForceRows& f, int32_t day) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Adds a cell-keyed change to day `day` of `f` (its row and span sum).
  void Add(ForceRows* f, int32_t day, const Row& cells)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  uint32_t SlotOf(uint32_t cell) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ForceRows> forces_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint32_t, uint32_t> slot_of_ ABSL_GUARDED_BY(mu_);
  std::vector<uint32_t> cell_of_ ABSL_GUARDED_BY(mu_);
};

}  // namespace peel::workforce
