#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/store/store.h"
#include "peel/common/v1/common.pb.h"
#include "peel/workforce/v1/storage.pb.h"
#include "peel/workforce/v1/workforce.pb.h"
#include "services/workforce/counters.h"
#include "services/workforce/day_counters.h"

// The workforce service's RocksDB layout and write paths. Every batch
// writes its accepted records and the counter rows they change in one
// WriteBatch, under one writer lock.
//
// Column families and keys (u = day + 2^20, so it is positive):
//   people      'P' force person_id          -> storage::PersonState
//               'E' force event_id           -> WellbeingEvent (idempotency)
//   aggregates  'D' force day                -> storage::Deltas (the day's
//                                               counter changes, as of the
//                                               last checkpoint)
//               'L' seq                      -> storage::PointLog (a batch's
//                                               changes since then)
//               'Q' force quarter            -> storage::WaitTally
//   reference   'U' force -> UpliftTarget; 'R' force -> PopulationReference
//               'K' force -> "" (the force has person records)
//
// The day rows are mirrored in memory (DayCounters, rebuilt on open from
// the rows plus the log): a profile reads no RocksDB rows for them, and a
// batch reads none to update them. A batch writes its counter changes as one
// log row; once enough changes are logged, the dirty day rows are rewritten
// and the log deleted in one WriteBatch (a checkpoint).
namespace peel::workforce {

inline constexpr char kServiceName[] = "peel.workforce.v1.WorkforceService";

class WorkforceStore {
 public:
  enum ColumnFamily : size_t { kPeople = 0, kAggregates = 1, kReference = 2 };

  // Counter changes are logged per batch and the day rows rewritten once
  // `checkpoint_points` changes have been logged.
  static absl::StatusOr<std::unique_ptr<WorkforceStore>> Open(
      store::StoreOptions options,
      int64_t checkpoint_points = kDefaultCheckpointPoints);
  static constexpr int64_t kDefaultCheckpointPoints = 2000000;

  absl::StatusOr<peel::common::v1::BatchAck> ApplyPersonRecords(
      const v1::PersonRecordBatch& batch);
  absl::StatusOr<peel::common::v1::BatchAck> ApplyWellbeingEvents(
      const v1::WellbeingEventBatch& batch);

  absl::StatusOr<v1::UpliftTarget> PutUpliftTarget(
      const v1::UpliftTarget& target);
  absl::StatusOr<std::optional<v1::UpliftTarget>> GetUpliftTarget(
      absl::string_view force) const;
  absl::StatusOr<v1::PopulationReference> PutPopulationReference(
      const v1::PopulationReference& reference);
  absl::StatusOr<std::optional<v1::PopulationReference>> GetPopulationReference(
      absl::string_view force) const;

  // NOT_FOUND when the person has no stored state.
  absl::StatusOr<v1::storage::PersonState> GetPerson(
      absl::string_view force, absl::string_view person_id) const;

  // Every counter summed over the days up to and including `day`.
  absl::StatusOr<CounterSums> SumTo(absl::string_view force, int32_t day) const;
  // The sums as at two days from one consistent state, so flows (their
  // differences) never mix a batch's changes with their absence.
  std::pair<CounterSums, CounterSums> SumToBoth(absl::string_view force,
                                                int32_t first,
                                                int32_t second) const {
    return counters_.SumToBoth(force, first, second);
  }
  // Waits by quarter index (year * 4 + quarter − 1) in [first, last].
  absl::StatusOr<std::vector<std::pair<int32_t, v1::storage::WaitTally>>> Waits(
      absl::string_view force, int32_t first, int32_t last) const;

  // Forces with person records, by slug.
  absl::StatusOr<std::vector<std::string>> ForcesWithPeople() const;

  uint64_t DataVersion() const { return store_->DataVersion(); }

 private:
  explicit WorkforceStore(std::unique_ptr<store::Store> s)
      : store_(std::move(s)) {}

  absl::Status LoadCounters() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Targets, population references and wait tallies (small) into memory.
  absl::Status LoadReference();
  absl::Status MaybeCheckpoint() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Once a batch is in the WAL: the mirror takes its changes.
  void AfterWrite(const std::vector<DayCounters::DayDelta>& deltas)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Logs the changes the points make in `batch` (one row).
  std::vector<DayCounters::DayDelta> AddPoints(
      const absl::flat_hash_map<std::string, std::vector<Point>>& by_force,
      rocksdb::WriteBatch* batch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<store::Store> store_;
  // One writer at a time: person states and counter rows are
  // read-modify-write.
  absl::Mutex write_mu_;
  DayCounters counters_;
  int64_t checkpoint_points_ = kDefaultCheckpointPoints;
  uint64_t next_log_seq_ ABSL_GUARDED_BY(write_mu_) = 1;
  int64_t logged_points_ ABSL_GUARDED_BY(write_mu_) = 0;
  // Written through: RocksDB first, then these.
  mutable absl::Mutex cache_mu_;
  absl::flat_hash_map<std::string, v1::UpliftTarget> targets_
      ABSL_GUARDED_BY(cache_mu_);
  absl::flat_hash_map<std::string, v1::PopulationReference> populations_
      ABSL_GUARDED_BY(cache_mu_);
  absl::flat_hash_map<std::string,
                      absl::btree_map<int32_t, v1::storage::WaitTally>>
      waits_ ABSL_GUARDED_BY(cache_mu_);
};

// Quarter index of a day: year * 4 + (month − 1) / 3.
int32_t QuarterOf(int32_t day);

}  // namespace peel::workforce
