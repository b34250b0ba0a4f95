#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/store/store.h"
#include "peel/common/v1/common.pb.h"
#include "peel/soc/v1/soc_disruptions.pb.h"
#include "peel/soc/v1/storage.pb.h"
#include "services/soc-disruptions/tally.h"

// The soc-disruptions service's RocksDB layout and its write paths. Every
// ingest applies a batch's accepted disruptions and every aggregate they
// change in one WriteBatch, under one writer lock.
//
// Column families and keys:
//   groups       'G' group_id                    -> OrganisedCrimeGroup
//   disruptions  'D' disruption_id               -> Disruption
//                'H' group_id day disruption_id  -> ""  (history index)
//   aggregates   'M' force month                 -> storage::DisruptionTally
//                'O' force operation             -> storage::DisruptionTally
//                'F' force group_id              -> storage::GroupState
// (month = year * 12 + month − 1; day = days since 1970-01-01; both I32.)
// Summaries read at most 24 'M' tallies and the force's 'F' group states:
// their cost does not depend on how many disruptions are stored.
//
// The aggregates and each group's force are also held in memory (loaded at
// Open, updated only after the WriteBatch holding them is written): an
// ingest never reads them back from RocksDB (a batch costs one MultiGet, the
// duplicate check, and one Write) and a summary reads 24 month tallies and
// the force's group states from memory. Memory: one small record per force
// per month, per operation and per group.
namespace peel::soc {

class SocStore {
 public:
  enum ColumnFamily : size_t { kGroups = 0, kDisruptions = 1, kAggregates = 2 };
  // Today's day number (UTC); dates after it are rejected as in the future.
  using TodayFn = std::function<int32_t()>;

  static absl::StatusOr<std::unique_ptr<SocStore>> Open(
      store::StoreOptions options, TodayFn today = nullptr);

  // Stores a new group, or returns the stored one when identical;
  // ALREADY_EXISTS when the id is taken by different content.
  absl::StatusOr<v1::OrganisedCrimeGroup> RegisterGroup(
      const v1::OrganisedCrimeGroup& group);
  // Replaces a stored group (NOT_FOUND if none); the force cannot change.
  absl::StatusOr<v1::OrganisedCrimeGroup> UpdateGroup(
      const v1::OrganisedCrimeGroup& group);
  absl::StatusOr<v1::OrganisedCrimeGroup> GetGroup(
      absl::string_view group_id) const;
  absl::StatusOr<std::vector<v1::OrganisedCrimeGroup>> ListGroups(
      absl::string_view force) const;

  absl::StatusOr<peel::common::v1::BatchAck> ApplyDisruptions(
      const v1::DisruptionBatch& batch);

  // The sum of `force`'s month tallies for [first_month, first_month+months).
  absl::StatusOr<Counts> SumMonths(absl::string_view force, int32_t first_month,
                                   int months) const;
  // Every group of `force` with its maintained state, in group id order.
  absl::Status VisitGroupStates(
      absl::string_view force,
      const std::function<void(absl::string_view group_id,
                               const v1::storage::GroupState& state)>& visit)
      const;
  absl::StatusOr<Counts> OperationCounts(absl::string_view force,
                                         absl::string_view operation) const;
  // The group's disruptions by date, then disruption id.
  absl::StatusOr<std::vector<v1::Disruption>> GroupHistory(
      absl::string_view group_id) const;

  int32_t Today() const { return today_(); }
  uint64_t DataVersion() const { return store_->DataVersion(); }

 private:
  SocStore(std::unique_ptr<store::Store> s, SocStore::TodayFn today)
      : store_(std::move(s)), today_(std::move(today)) {}
  absl::Status LoadCaches();
  // True when no batch written after generation `seen` wrote a key (by
  // hash) that `stored` shows absent, as far as recent_ can tell.
  bool NothingWrittenSince(
      uint64_t seen, const std::vector<uint64_t>& hashes,
      const std::vector<std::optional<std::string>>& stored) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<store::Store> store_;
  TodayFn today_;
  // One writer at a time: duplicate resolution and the aggregates'
  // read-modify-write must see each other's effects.
  absl::Mutex write_mu_;
  // Disruption batches written so far (a generation number), and the key
  // hashes of the last kRecentBatches of them: the duplicate check reads the
  // store before taking write_mu_ and then only checks these.
  static constexpr size_t kRecentBatches = 64;
  struct Written {
    uint64_t generation = 0;
    std::vector<uint64_t> key_hashes;  // sorted
  };
  std::atomic<uint64_t> committed_batches_{0};
  std::deque<Written> recent_ ABSL_GUARDED_BY(write_mu_);
  // Copies of what is durable in the store, adopted under cache_mu_ only
  // after the WriteBatch holding them is written, so readers see whole
  // batches. Writers change them only while also holding write_mu_; the
  // lock is held briefly, never across a RocksDB write, so summaries do not
  // wait for ingest.
  mutable absl::Mutex cache_mu_ ABSL_ACQUIRED_AFTER(write_mu_);
  // 'M' and 'O' tallies by key (ordered, so a force's months are a range).
  absl::btree_map<std::string, Counts> tallies_ ABSL_GUARDED_BY(cache_mu_);
  // 'F' group states by key (ordered, so a force's groups are a range).
  absl::btree_map<std::string, v1::storage::GroupState> group_states_
      ABSL_GUARDED_BY(cache_mu_);
  // group id -> force. A group's force never changes; groups are never
  // deleted.
  absl::flat_hash_map<std::string, std::string> group_force_
      ABSL_GUARDED_BY(cache_mu_);
};

}  // namespace peel::soc
