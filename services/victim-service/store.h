#pragma once

#include <atomic>
#include <cstdint>
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
#include "common/ingest/batch_plan.h"
#include "common/store/store.h"
#include "peel/common/v1/common.pb.h"
#include "peel/victimservice/v1/storage.pb.h"
#include "peel/victimservice/v1/victim_service.pb.h"

// The victim-service's RocksDB layout and its write paths. Every ingest
// applies a batch's accepted records and the aggregates they change in one
// WriteBatch; summaries read aggregates only. Case reviews and published
// months are written under one writer lock. Call records, the largest feed,
// hold a lock only to decide which records are new, and are written with a
// journal entry naming them instead of the tallies they move
// (common/ingest/aggregate_journal.h): the tallies are held in memory,
// where summaries read them, and written out in full by a checkpoint every
// 131,072 calls, which deletes the entries it covers. A checkpoint snapshots
// the tallies as of the entries applied in memory (each applied only after
// its batch is written) and deletes exactly those, so in every state of
// the store the stored tallies plus the remaining entries' calls count each
// written call once; concurrent streams' batches need no order.
//
// Column families and keys (integers big-endian):
//   assessments 'A' assessment_id                  -> Assessment
//               'F' force assessment_id            -> ""  (list by force)
//   records     'R' assessment_id case_id          -> CaseReview
//               'C' force call_id                  -> CallRecord
//   aggregates  'S' assessment_id file_type group  -> storage::CheckTally
//               'H' force channel month            -> storage::CallTally
//                   (as of the last checkpoint; stores written before the
//                   journal may hold merge deltas, call_tally_merge.h)
//               'J' n (U64)                        -> the calls batch n
//                   accepted: force '\0' call_id '\0' each
//               'M' force month                    -> MonthlyCallAggregate
//               'P' force                          -> ""  (has call data)
//                   (published months are their own aggregate)
namespace peel::victimservice {

// Answer-time histogram: 1-second buckets [0,1) .. [599,600), 10-second
// buckets [600,610) .. [3590,3600), then one open bucket [3600,∞). A
// percentile is reported inside the bucket holding the exact value, so its
// error is at most that bucket's width.
inline constexpr int kFineSeconds = 600;
inline constexpr int kCoarseEndSeconds = 3600;
inline constexpr int kCoarseWidthSeconds = 10;
inline constexpr int kHistogramBuckets =
    kFineSeconds + (kCoarseEndSeconds - kFineSeconds) / kCoarseWidthSeconds + 1;
int HistogramBucket(int64_t answer_ms);
double BucketLowSeconds(int bucket);
// The open last bucket ends at the largest answer time seen.
double BucketHighSeconds(int bucket, double max_seconds);

struct CheckTallyCell {
  v1::FileType file_type;
  v1::OffenceGroup offence_group;
  v1::storage::CheckTally tally;
};

// One force's stored call data, index = month − first.
struct ForceCallMonths {
  std::vector<v1::storage::CallTally> emergency;
  std::vector<v1::storage::CallTally> non_emergency;
  std::vector<std::optional<v1::MonthlyCallAggregate>> published;
};

class VictimServiceStore {
 public:
  enum ColumnFamily : size_t {
    kAssessments = 0,
    kRecords = 1,
    kAggregates = 2
  };

  static absl::StatusOr<std::unique_ptr<VictimServiceStore>> Open(
      store::StoreOptions options,
      ingest::AggregateCheckpoints checkpoints = {});

  // Creates the assessment, or returns the stored one when identical;
  // ALREADY_EXISTS when the id is taken by different content.
  absl::StatusOr<v1::Assessment> CreateAssessment(const v1::Assessment& a);
  absl::StatusOr<v1::Assessment> GetAssessment(
      const std::string& assessment_id) const;
  absl::StatusOr<std::vector<v1::Assessment>> ListAssessments(
      const std::string& force) const;  // empty force: all

  absl::StatusOr<peel::common::v1::BatchAck> ApplyCaseReviews(
      const v1::CaseReviewBatch& batch);
  absl::StatusOr<peel::common::v1::BatchAck> ApplyCallRecords(
      const v1::CallRecordBatch& batch);
  absl::StatusOr<peel::common::v1::BatchAck> ApplyMonthlyAggregates(
      const v1::MonthlyCallAggregateBatch& batch);

  // Every (file type, offence group) tally of the assessment.
  absl::StatusOr<std::vector<CheckTallyCell>> GetCheckTallies(
      const std::string& assessment_id) const;
  // Slugs of forces with any call record or published month, sorted.
  absl::StatusOr<std::vector<std::string>> ForcesWithCallData() const;
  // For each force, its call tallies and published months for months
  // [first, last], in one batch of point lookups.
  absl::StatusOr<std::vector<ForceCallMonths>> GetCallMonths(
      const std::vector<std::string>& forces, int32_t first,
      int32_t last) const;

  // Changes whenever stored data or the in-memory call tallies change: the
  // RocksDB sequence number plus the call batches applied in memory since
  // the store opened (which starts at the sequence number then, so the sum
  // never repeats an earlier run's value for different data).
  uint64_t DataVersion() const {
    return store_->DataVersion() +
           call_batches_applied_.load(std::memory_order_acquire);
  }
  store::Store& raw() { return *store_; }

 private:
  VictimServiceStore(std::unique_ptr<store::Store> s,
                     ingest::AggregateCheckpoints checkpoints)
      : store_(std::move(s)), checkpoints_(checkpoints) {}

  absl::Status LoadCallTallies();
  // Which of `plan`'s proposals are new, once no batch still being written
  // holds one of them; marks those in flight.
  absl::StatusOr<std::vector<int>> ClaimNewCalls(
      ingest::BatchPlan& plan, const std::vector<uint64_t>& key_hashes);
  // After the write of a claimed batch (whether it succeeded or not).
  void ReleaseCalls(const std::vector<int>& fresh,
                    const std::vector<uint64_t>& key_hashes);
  bool CheckpointDue() const ABSL_SHARED_LOCKS_REQUIRED(tally_mu_);
  // Writes every call tally changed since the last checkpoint in full and
  // deletes the journal entries they now count, if still due.
  absl::Status CheckpointCallTallies();

  std::unique_ptr<store::Store> store_;
  const ingest::AggregateCheckpoints checkpoints_;
  // One writer at a time for case reviews, assessments and published
  // months: duplicate resolution and the aggregate read-modify-write must
  // see each other's effects.
  absl::Mutex write_mu_;

  // Call records. A record is claimed under calls_mu_ (resolved against the
  // store and against the batches being written), then written outside it.
  absl::Mutex calls_mu_;
  absl::flat_hash_set<uint64_t> calls_in_flight_ ABSL_GUARDED_BY(calls_mu_);
  uint64_t call_batches_done_ ABSL_GUARDED_BY(calls_mu_) = 0;
  // The call tallies (every 'H' key, as stored plus the journal's calls),
  // updated once a batch is written; call_batches_applied_ is bumped after
  // each update.
  absl::Mutex checkpoint_mu_;  // one checkpoint at a time
  mutable absl::Mutex tally_mu_ ABSL_ACQUIRED_AFTER(checkpoint_mu_);
  absl::flat_hash_map<std::string, v1::storage::CallTally> call_tallies_
      ABSL_GUARDED_BY(tally_mu_);
  absl::flat_hash_set<std::string> call_forces_ ABSL_GUARDED_BY(tally_mu_);
  // The journal since the last checkpoint: the entries applied in memory,
  // the calls they name, and the tallies they changed.
  std::atomic<uint64_t> next_call_journal_{1};
  std::vector<std::string> journal_keys_ ABSL_GUARDED_BY(tally_mu_);
  int64_t journal_records_ ABSL_GUARDED_BY(tally_mu_) = 0;
  absl::flat_hash_set<std::string> dirty_cells_ ABSL_GUARDED_BY(tally_mu_);
  std::atomic<uint64_t> call_batches_applied_{0};
};

// Adds one answered call of `answer_ms` to a tally's histogram and sums.
void AddAnswered(int64_t answer_ms, v1::storage::CallTally* tally);
void AddAbandoned(int64_t waited_ms, v1::storage::CallTally* tally);

}  // namespace peel::victimservice
