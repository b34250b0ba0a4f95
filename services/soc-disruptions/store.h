#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/ingest/aggregate_journal.h"
#include "common/store/store.h"
#include "peel/common/v1/common.pb.h"
#include "peel/soc/v1/soc_disruptions.pb.h"
#include "peel/soc/v1/storage.pb.h"
#include "services/soc-disruptions/tally.h"

// The soc-disruptions service's RocksDB layout and its write paths. Every
// ingest applies a batch's accepted disruptions and a journal entry naming
// them (or a checkpoint, below) in one WriteBatch, under one writer lock.
//
// Column families and keys:
//   groups       'G' group_id                    -> OrganisedCrimeGroup
//   disruptions  'D' disruption_id               -> Disruption
//                'H' group_id chunk (U64)        -> history entries: each
//                                                   day (I32), disruption_id
//                                                   and '\0', in that order
//                  (a store written before chunks may also hold
//                   'H' group_id day disruption_id -> "", one entry each)
//   aggregates   'M' force month                 -> storage::DisruptionTally
//                'O' force operation             -> storage::DisruptionTally
//                'F' force group_id              -> storage::GroupState
//                'J' n (U64)                     -> the ids batch n accepted,
//                                                   each followed by '\0'
// (month = year * 12 + month − 1; day = days since 1970-01-01; both I32.)
//
// The aggregates are held in memory (loaded at Open, updated only after the
// WriteBatch that accounts for them is written) and written out to RocksDB
// in checkpoints, with the history keys: a batch normally writes one
// journal entry ('J': the ids it accepted) instead of the hundreds of
// tallies, group states and history keys it moves (writing those was most
// of the server's CPU for input spread over many forces, groups and months:
// random memtable inserts). Every AggregateCheckpoints worth of journal, the
// batch's WriteBatch instead holds every aggregate changed since the last
// checkpoint, in full, the history entries of the journal's disruptions
// (one chunk per group: a key per disruption, inserted at random places in
// the memtable, cost a third of the server's CPU), and deletes the journal
// entries. Invariant, in every WriteBatch: the stored 'M'/'O'/'F' values
// count, and the stored 'H' chunks list, exactly the disruptions that no
// journal entry names, so Open
// (stored values + the journal's disruptions, read back) rebuilds the
// aggregates and history of every written batch, after a crash at any
// moment. History keys not stored yet are kept in memory for GroupHistory.
//
// An ingest never reads the aggregates back from RocksDB (a batch costs one
// MultiGet, the duplicate check, and one Write) and a summary reads 24 month
// tallies and the force's group states from memory: its cost does not depend
// on how many disruptions are stored. Memory: one small record per force per
// month, per operation and per group.
namespace peel::soc {

// When the aggregates are written out in full (a checkpoint): once the
// journal names this many disruptions or holds this many batches. Larger
// means fewer aggregate writes and a longer replay at Open.
using ingest::AggregateCheckpoints;

class SocStore {
 public:
  enum ColumnFamily : size_t { kGroups = 0, kDisruptions = 1, kAggregates = 2 };
  // Today's day number (UTC); dates after it are rejected as in the future.
  using TodayFn = std::function<int32_t()>;

  static absl::StatusOr<std::unique_ptr<SocStore>> Open(
      store::StoreOptions options, TodayFn today = nullptr,
      AggregateCheckpoints checkpoints = {});

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
  // The store's sequence number as of the last write whose effects readers
  // can see: it moves only after the in-memory aggregates are updated, so a
  // caller that reads the version and then the data never keeps stale data
  // under a version that will not change. At Open it is the store's
  // sequence number, which survives restarts.
  uint64_t DataVersion() const {
    return version_.load(std::memory_order_acquire);
  }

 private:
  // What a set of new disruptions adds to the aggregates.
  struct Deltas;

  SocStore(std::unique_ptr<store::Store> s, SocStore::TodayFn today,
           AggregateCheckpoints checkpoints)
      : store_(std::move(s)),
        today_(std::move(today)),
        checkpoints_(checkpoints) {}
  absl::Status LoadCaches();
  // Adds the full value of every aggregate changed since the last checkpoint
  // (with `batch` added, and `state_key` replaced by `state` when given),
  // every history key not stored yet (`batch`'s too) and the deletion of
  // every journal entry to `wb`.
  void AddCheckpoint(const Deltas* batch, const std::string* state_key,
                     const v1::storage::GroupState* state,
                     rocksdb::WriteBatch* wb)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // After a checkpoint is written.
  void CheckpointWritten() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Adds `deltas` to the in-memory state (taking its history keys, which
  // must be sorted).
  void ApplyDeltas(Deltas* deltas) ABSL_EXCLUSIVE_LOCKS_REQUIRED(cache_mu_);
  Counts& TallyAt(const std::string& key)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(cache_mu_);
  v1::storage::GroupState& StateAt(const std::string& key)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(cache_mu_);
  // After the in-memory state is updated (and under write_mu_, so versions
  // are published in write order).
  void PublishVersion() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    version_.store(store_->DataVersion(), std::memory_order_release);
  }
  // True when no batch written after generation `seen` wrote a key (by
  // hash) that `stored` shows absent, as far as recent_ can tell.
  bool NothingWrittenSince(
      uint64_t seen, const std::vector<uint64_t>& hashes,
      const std::vector<std::optional<std::string>>& stored) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<store::Store> store_;
  TodayFn today_;
  const AggregateCheckpoints checkpoints_;
  std::atomic<uint64_t> version_{0};
  // One writer at a time: duplicate resolution, the journal and the
  // checkpoints must see each other's effects.
  absl::Mutex write_mu_;
  // The journal since the last checkpoint: its keys, the disruptions it
  // names, the aggregate keys it changed, and the next entry's number.
  std::vector<std::string> journal_keys_ ABSL_GUARDED_BY(write_mu_);
  int64_t journal_records_ ABSL_GUARDED_BY(write_mu_) = 0;
  absl::flat_hash_set<std::string> dirty_ ABSL_GUARDED_BY(write_mu_);
  uint64_t next_journal_ ABSL_GUARDED_BY(write_mu_) = 1;
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
  // The aggregates of every written batch, adopted under cache_mu_ only
  // after the WriteBatch accounting for them is written, so readers see
  // whole batches. Writers change them only while also holding write_mu_; the
  // lock is held briefly, never across a RocksDB write, so summaries do not
  // wait for ingest.
  mutable absl::Mutex cache_mu_ ABSL_ACQUIRED_AFTER(write_mu_);
  // 'M' and 'O' tallies by key (ordered, so a force's months are a range).
  std::map<std::string, Counts> tallies_ ABSL_GUARDED_BY(cache_mu_);
  // 'F' group states by key (ordered, so a force's groups are a range).
  std::map<std::string, v1::storage::GroupState> group_states_
      ABSL_GUARDED_BY(cache_mu_);
  // The same by hash (std::map nodes do not move), for the writers: a
  // batch spread over many forces updates ~1,500 of them.
  absl::flat_hash_map<std::string, Counts*> tally_index_
      ABSL_GUARDED_BY(cache_mu_);
  absl::flat_hash_map<std::string, v1::storage::GroupState*> state_index_
      ABSL_GUARDED_BY(cache_mu_);
  // The history keys of the journal's disruptions ('H' keys not stored
  // yet), for GroupHistory: one sorted list per journal entry.
  std::vector<std::vector<std::string>> pending_history_
      ABSL_GUARDED_BY(cache_mu_);
  // group id -> force. A group's force never changes; groups are never
  // deleted.
  absl::flat_hash_map<std::string, std::string> group_force_
      ABSL_GUARDED_BY(cache_mu_);
};

}  // namespace peel::soc
