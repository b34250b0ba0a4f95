#include "services/victim-service/store.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/ingest/aggregate_journal.h"
#include "common/ingest/batch_plan.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "common/util/log.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/victim-service/call_tally_merge.h"
#include "services/victim-service/summaries.h"
#include "services/victim-service/validate.h"

namespace peel::victimservice {

using ingest::BatchPlan;
using peel::common::v1::BatchAck;
using store::KeyBuilder;
using store::KeyReader;
using validation::FieldViolations;

namespace {

std::string AssessmentKey(absl::string_view id) {
  return KeyBuilder('A').Id(id).Take();
}
std::string ForceAssessmentKey(absl::string_view force, absl::string_view id) {
  return KeyBuilder('F').Id(force).Id(id).Take();
}
std::string CaseReviewKey(absl::string_view assessment, absl::string_view id) {
  return KeyBuilder('R').Id(assessment).Id(id).Take();
}
std::string CallKey(absl::string_view force, absl::string_view id) {
  return KeyBuilder('C').Id(force).Id(id).Take();
}
std::string CheckTallyKey(absl::string_view assessment, int file_type,
                          int offence_group) {
  return KeyBuilder('S')
      .Id(assessment)
      .U32(static_cast<uint32_t>(file_type))
      .U32(static_cast<uint32_t>(offence_group))
      .Take();
}
std::string CallTallyKey(absl::string_view force, int channel, int32_t month) {
  return KeyBuilder('H')
      .Id(force)
      .U32(static_cast<uint32_t>(channel))
      .I32(month)
      .Take();
}
// Written once, with a force's first call tally or published month, so the
// national view visits only forces with call data (few versions to scan).
std::string CallForceKey(absl::string_view force) {
  return KeyBuilder('P').Id(force).Take();
}
std::string PublishedMonthKey(absl::string_view force, int32_t month) {
  return KeyBuilder('M').Id(force).I32(month).Take();
}

// The (force, channel, month) tally a valid call counts in, and what it
// adds there.
std::string CallCellKey(const v1::CallRecord& call) {
  return CallTallyKey(call.force(), call.channel(),
                      MonthOfUnixSeconds(call.offered_at().seconds()));
}
void AddCall(const v1::CallRecord& call, v1::storage::CallTally* tally) {
  if (call.has_answered()) {
    AddAnswered(call.answered().answer_ms(), tally);
  } else {
    AddAbandoned(call.abandoned().waited_ms(), tally);
  }
}

template <typename Message>
absl::StatusOr<Message> ParseStored(absl::string_view bytes,
                                    absl::string_view what) {
  Message m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("cannot parse stored ", what));
  }
  return m;
}

void Resize(google::protobuf::RepeatedField<int64_t>* f, int n) {
  if (f->size() < n) f->Resize(n, 0);
}

void Increment(google::protobuf::RepeatedField<int64_t>* f, int i) {
  Resize(f, i + 1);
  f->Set(i, f->Get(i) + 1);
}

void AddToCheckTally(const v1::CaseReview& review,
                     v1::storage::CheckTally* tally) {
  tally->set_case_reviews(tally->case_reviews() + 1);
  for (const auto& c : review.checks()) {
    switch (c.outcome()) {
      case v1::MET:
        Increment(tally->mutable_met(), c.check());
        break;
      case v1::NOT_MET:
        Increment(tally->mutable_not_met(), c.check());
        break;
      case v1::NOT_APPLICABLE:
        Increment(tally->mutable_not_applicable(), c.check());
        break;
      default:
        break;  // validated away
    }
  }
}

}  // namespace

void AddAnswered(int64_t answer_ms, v1::storage::CallTally* tally) {
  tally->set_offered(tally->offered() + 1);
  tally->set_answered(tally->answered() + 1);
  tally->set_answer_ms_sum(tally->answer_ms_sum() + answer_ms);
  tally->set_answer_ms_max(std::max(tally->answer_ms_max(), answer_ms));
  // Only as long as the slowest answer needs: a batch's delta for a cell
  // then serializes a few dozen buckets, not all of them.
  auto* hist = tally->mutable_answer_seconds();
  const int bucket = HistogramBucket(answer_ms);
  Resize(hist, bucket + 1);
  hist->Set(bucket, hist->Get(bucket) + 1);
}

int HistogramBucket(int64_t answer_ms) {
  const int64_t seconds = answer_ms / 1000;
  if (seconds < kFineSeconds) return static_cast<int>(seconds);
  if (seconds < kCoarseEndSeconds) {
    return kFineSeconds +
           static_cast<int>((seconds - kFineSeconds) / kCoarseWidthSeconds);
  }
  return kHistogramBuckets - 1;
}

double BucketLowSeconds(int bucket) {
  if (bucket < kFineSeconds) return bucket;
  return kFineSeconds +
         static_cast<double>(bucket - kFineSeconds) * kCoarseWidthSeconds;
}

double BucketHighSeconds(int bucket, double max_seconds) {
  if (bucket < kFineSeconds) return bucket + 1.0;
  if (bucket < kHistogramBuckets - 1) {
    return BucketLowSeconds(bucket) + kCoarseWidthSeconds;
  }
  return std::max(static_cast<double>(kCoarseEndSeconds), max_seconds);
}

void AddAbandoned(int64_t waited_ms, v1::storage::CallTally* tally) {
  tally->set_offered(tally->offered() + 1);
  tally->set_abandoned(tally->abandoned() + 1);
  tally->set_waited_ms_sum(tally->waited_ms_sum() + waited_ms);
}

absl::StatusOr<std::unique_ptr<VictimServiceStore>> VictimServiceStore::Open(
    store::StoreOptions options, ingest::AggregateCheckpoints checkpoints) {
  options.column_families = {"assessments", "records", "aggregates"};
  options.merge_operators = {{"aggregates", NewCallTallyMergeOperator()}};
  ASSIGN_OR_RETURN(auto s, store::Store::Open(options));
  checkpoints.records = std::max<int64_t>(1, checkpoints.records);
  checkpoints.batches = std::max(1, checkpoints.batches);
  std::unique_ptr<VictimServiceStore> out(
      new VictimServiceStore(std::move(s), checkpoints));
  RETURN_IF_ERROR(out->LoadCallTallies());
  return out;
}

absl::Status VictimServiceStore::LoadCallTallies() {
  absl::MutexLock lock(&tally_mu_);
  absl::Status status;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, "H", [&](absl::string_view k, absl::string_view v) {
        KeyReader r(k);
        char tag;
        absl::string_view force;
        auto t = ParseStored<v1::storage::CallTally>(v, "call tally");
        if (!r.Tag(&tag) || !r.Id(&force) || !t.ok()) {
          status = absl::DataLossError("cannot read stored call tally");
          return false;
        }
        call_forces_.emplace(force);
        call_tallies_.emplace(std::string(k), std::move(*t));
        return true;
      }));
  RETURN_IF_ERROR(status);

  // The journal: calls written since the last checkpoint, which the stored
  // tallies do not count yet. Each entry lists its calls' keys without the
  // 'C' tag: force, '\0', call id, '\0'.
  std::vector<std::pair<std::string, std::string>> journal;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, "J", [&](absl::string_view k, absl::string_view v) {
        journal.emplace_back(std::string(k), std::string(v));
        return true;
      }));
  const ingest::JournalShape shape{
      "call journal", "call", kRecords,
      [](absl::string_view calls, std::vector<std::string>* keys) {
        KeyReader r(calls);
        absl::string_view force, id;
        while (r.Id(&force)) {
          if (!r.Id(&id)) return absl::DataLossError("malformed call journal");
          keys->push_back(CallKey(force, id));
        }
        return absl::OkStatus();
      }};
  ASSIGN_OR_RETURN(ingest::JournalReplay replayed,
                   ingest::ReplayJournal(
                       *store_, shape, journal, [&](absl::string_view value) {
                         ASSIGN_OR_RETURN(
                             auto call,
                             ParseStored<v1::CallRecord>(value, "call record"));
                         const std::string cell = CallCellKey(call);
                         AddCall(call, &call_tallies_[cell]);
                         dirty_cells_.insert(cell);
                         call_forces_.emplace(call.force());
                         return absl::OkStatus();
                       }));
  journal_keys_ = std::move(replayed.keys);
  journal_records_ = replayed.records;
  const uint64_t next = replayed.next;
  next_call_journal_.store(next);
  // See DataVersion(): this run's versions start above every earlier one.
  call_batches_applied_.store(store_->DataVersion());
  return absl::OkStatus();
}

absl::StatusOr<v1::Assessment> VictimServiceStore::CreateAssessment(
    const v1::Assessment& a) {
  RETURN_IF_ERROR(ValidateAssessment(a));
  absl::MutexLock lock(&write_mu_);
  const std::string key = AssessmentKey(a.assessment_id());
  ASSIGN_OR_RETURN(auto existing, store_->Get(kAssessments, key));
  const std::string bytes = ingest::CanonicalBytes(a);
  if (existing.has_value()) {
    if (*existing == bytes) return a;
    return absl::AlreadyExistsError(
        absl::StrCat("assessment.assessment_id: assessment ", a.assessment_id(),
                     " already exists with different "
                     "content"));
  }
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kAssessments), key, bytes);
  wb.Put(store_->Handle(kAssessments),
         ForceAssessmentKey(a.force(), a.assessment_id()), "");
  RETURN_IF_ERROR(store_->Write(&wb));
  return a;
}

absl::StatusOr<v1::Assessment> VictimServiceStore::GetAssessment(
    const std::string& assessment_id) const {
  ASSIGN_OR_RETURN(auto bytes,
                   store_->Get(kAssessments, AssessmentKey(assessment_id)));
  if (!bytes.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("assessment_id: no assessment '", assessment_id, "'"));
  }
  return ParseStored<v1::Assessment>(*bytes, "assessment");
}

absl::StatusOr<std::vector<v1::Assessment>> VictimServiceStore::ListAssessments(
    const std::string& force) const {
  std::vector<v1::Assessment> out;
  absl::Status parse_status;
  if (force.empty()) {
    RETURN_IF_ERROR(store_->ScanPrefix(
        kAssessments, "A", [&](absl::string_view, absl::string_view v) {
          auto a = ParseStored<v1::Assessment>(v, "assessment");
          if (!a.ok()) {
            parse_status = a.status();
            return false;
          }
          out.push_back(std::move(*a));
          return true;
        }));
    RETURN_IF_ERROR(parse_status);
    return out;
  }
  std::vector<std::string> ids;
  RETURN_IF_ERROR(
      store_->ScanPrefix(kAssessments, KeyBuilder('F').Id(force).Take(),
                         [&](absl::string_view k, absl::string_view) {
                           KeyReader r(k);
                           char tag;
                           absl::string_view f, id;
                           if (r.Tag(&tag) && r.Id(&f) && r.Id(&id))
                             ids.emplace_back(id);
                           return true;
                         }));
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto a, GetAssessment(id));
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<BatchAck> VictimServiceStore::ApplyCaseReviews(
    const v1::CaseReviewBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.reviews_size(), "reviews"));
  ASSIGN_OR_RETURN(v1::Assessment assessment,
                   GetAssessment(batch.assessment_id()));

  BatchPlan plan(batch.sequence(), batch.reviews_size());
  for (int i = 0; i < batch.reviews_size(); ++i) {
    const auto& review = batch.reviews(i);
    FieldViolations v(absl::StrCat("reviews[", i, "]."));
    ValidateCaseReview(review, &v);
    if (!v.empty()) {
      plan.Reject(i, review.case_id(), v);
      continue;
    }
    plan.Propose(i, review.case_id(),
                 CaseReviewKey(assessment.assessment_id(), review.case_id()),
                 ingest::CanonicalBytes(review));
  }

  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kRecords));
  if (!fresh.empty()) {
    std::map<std::string, v1::storage::CheckTally> tallies;
    rocksdb::WriteBatch wb;
    for (int p : fresh) {
      const auto& review = batch.reviews(plan.record_index(p));
      wb.Put(store_->Handle(kRecords), plan.proposals()[p].key,
             plan.proposals()[p].value);
      std::string key =
          CheckTallyKey(assessment.assessment_id(), review.file_type(),
                        review.offence_group());
      auto it = tallies.find(key);
      if (it == tallies.end()) {
        ASSIGN_OR_RETURN(auto bytes, store_->Get(kAggregates, key));
        v1::storage::CheckTally t;
        if (bytes.has_value()) {
          ASSIGN_OR_RETURN(
              t, ParseStored<v1::storage::CheckTally>(*bytes, "check tally"));
        }
        it = tallies.emplace(std::move(key), std::move(t)).first;
      }
      AddToCheckTally(review, &it->second);
    }
    for (const auto& [key, tally] : tallies) {
      wb.Put(store_->Handle(kAggregates), key, tally.SerializeAsString());
    }
    RETURN_IF_ERROR(store_->Write(&wb));
    plan.Accepted(fresh);
  }
  return plan.TakeAck();
}

absl::StatusOr<BatchAck> VictimServiceStore::ApplyCallRecords(
    const v1::CallRecordBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.calls_size(), "calls"));
  BatchPlan plan(batch.sequence(), batch.calls_size());
  // Outside the writer lock: validation, record bytes, and which (force,
  // channel, month) tally each record counts in.
  std::vector<std::string> cell_keys;
  std::vector<absl::string_view> cell_forces;
  absl::flat_hash_map<std::string, int> cell_index;
  std::vector<int> cell_of(batch.calls_size(), -1);
  for (int i = 0; i < batch.calls_size(); ++i) {
    const auto& call = batch.calls(i);
    FieldViolations v;
    ValidateCallRecord(call, &v);
    if (!v.empty()) {
      FieldViolations named(absl::StrCat("calls[", i, "]."));
      ValidateCallRecord(call, &named);
      plan.Reject(i, call.call_id(), named);
      continue;
    }
    plan.Propose(i, call.call_id(), CallKey(call.force(), call.call_id()),
                 ingest::CanonicalBytes(call));
    std::string cell = CallCellKey(call);
    auto [it, inserted] =
        cell_index.emplace(cell, static_cast<int>(cell_keys.size()));
    if (inserted) {
      cell_keys.push_back(std::move(cell));
      cell_forces.push_back(call.force());
    }
    cell_of[i] = it->second;
  }

  std::vector<uint64_t> hashes(plan.proposals().size());
  for (size_t p = 0; p < hashes.size(); ++p) {
    hashes[p] = absl::HashOf(plan.proposals()[p].key);
  }
  ASSIGN_OR_RETURN(std::vector<int> fresh, ClaimNewCalls(plan, hashes));
  if (fresh.empty()) return plan.TakeAck();

  // Outside any lock: this batch's records, the journal entry naming them
  // and what they add to each tally (applied in memory once written).
  std::vector<v1::storage::CallTally> deltas(cell_keys.size());
  std::vector<bool> touched(cell_keys.size(), false);
  rocksdb::WriteBatch wb;
  std::string journal;
  // Keys in order let the memtable's skip list reuse its insert position.
  std::sort(fresh.begin(), fresh.end(), [&](int a, int b) {
    return plan.proposals()[a].key < plan.proposals()[b].key;
  });
  for (int p : fresh) {
    const int i = plan.record_index(p);
    const std::string& key = plan.proposals()[p].key;
    wb.Put(store_->Handle(kRecords), key, plan.proposals()[p].value);
    journal.append(key, 1);  // without the 'C' tag
    const int c = cell_of[i];
    touched[c] = true;
    AddCall(batch.calls(i), &deltas[c]);
  }
  {
    absl::ReaderMutexLock lock(&tally_mu_);
    for (size_t c = 0; c < cell_keys.size(); ++c) {
      if (touched[c] && !call_forces_.contains(cell_forces[c])) {
        wb.Put(store_->Handle(kAggregates), CallForceKey(cell_forces[c]), "");
      }
    }
  }
  std::string journal_key = ingest::JournalKey(next_call_journal_++);
  wb.Put(store_->Handle(kAggregates), journal_key, journal);
  const absl::Status written = store_->Write(&wb);
  bool checkpoint_due = false;
  if (written.ok()) {
    absl::MutexLock lock(&tally_mu_);
    for (size_t c = 0; c < cell_keys.size(); ++c) {
      if (!touched[c]) continue;
      MergeCallTally(deltas[c], &call_tallies_[cell_keys[c]]);
      dirty_cells_.insert(cell_keys[c]);
      call_forces_.emplace(cell_forces[c]);
    }
    journal_keys_.push_back(std::move(journal_key));
    journal_records_ += static_cast<int64_t>(fresh.size());
    checkpoint_due = CheckpointDue();
    call_batches_applied_.fetch_add(1, std::memory_order_release);
  }
  ReleaseCalls(fresh, hashes);
  RETURN_IF_ERROR(written);
  if (checkpoint_due) {
    // The batch is written and its journal entry counts it: a failed
    // checkpoint loses nothing (the next one covers the same entries).
    if (absl::Status s = CheckpointCallTallies(); !s.ok()) {
      log::Error(absl::StrCat("call tally checkpoint: ", s.ToString()));
    }
  }
  plan.Accepted(fresh);
  return plan.TakeAck();
}

bool VictimServiceStore::CheckpointDue() const {
  return journal_records_ >= checkpoints_.records ||
         static_cast<int64_t>(journal_keys_.size()) >= checkpoints_.batches;
}

absl::Status VictimServiceStore::CheckpointCallTallies() {
  absl::MutexLock one_at_a_time(&checkpoint_mu_);
  rocksdb::WriteBatch wb;
  std::vector<std::string> cells;
  std::vector<std::string> journal;
  int64_t records = 0;
  {
    // The tallies as of every journal entry applied so far, and exactly
    // those entries' deletion: entries written but not yet applied stay.
    absl::MutexLock lock(&tally_mu_);
    if (!CheckpointDue()) return absl::OkStatus();  // another stream did it
    cells.assign(dirty_cells_.begin(), dirty_cells_.end());
    std::sort(cells.begin(), cells.end());
    for (const std::string& cell : cells) {
      wb.Put(store_->Handle(kAggregates), cell,
             call_tallies_.at(cell).SerializeAsString());
    }
    journal.swap(journal_keys_);
    for (const std::string& key : journal) {
      wb.Delete(store_->Handle(kAggregates), key);
    }
    records = journal_records_;
    dirty_cells_.clear();
    journal_records_ = 0;
  }
  absl::Status status = store_->Write(&wb);
  if (!status.ok()) {  // still to do
    absl::MutexLock lock(&tally_mu_);
    dirty_cells_.insert(cells.begin(), cells.end());
    journal_keys_.insert(journal_keys_.end(), journal.begin(), journal.end());
    journal_records_ += records;
  }
  return status;
}

absl::StatusOr<std::vector<int>> VictimServiceStore::ClaimNewCalls(
    BatchPlan& plan, const std::vector<uint64_t>& key_hashes) {
  absl::MutexLock lock(&calls_mu_);
  for (;;) {
    ASSIGN_OR_RETURN(
        std::vector<ingest::Resolution> resolutions,
        ingest::ResolveWrites(*store_, kRecords, plan.proposals()));
    // A key absent from the store may be in a batch being written: wait for
    // the batches in flight to finish, then look again.
    bool clash = false;
    for (size_t p = 0; p < resolutions.size() && !clash; ++p) {
      clash = resolutions[p] == ingest::Resolution::kNew &&
              calls_in_flight_.contains(key_hashes[p]);
    }
    if (!clash) {
      std::vector<int> fresh = plan.Decide(resolutions);
      for (int p : fresh) calls_in_flight_.insert(key_hashes[p]);
      return fresh;
    }
    const uint64_t done = call_batches_done_;
    auto finished = [this, done]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(calls_mu_) {
      return call_batches_done_ != done;
    };
    calls_mu_.Await(absl::Condition(&finished));
  }
}

void VictimServiceStore::ReleaseCalls(const std::vector<int>& fresh,
                                      const std::vector<uint64_t>& key_hashes) {
  absl::MutexLock lock(&calls_mu_);
  for (int p : fresh) calls_in_flight_.erase(key_hashes[p]);
  ++call_batches_done_;
}

absl::StatusOr<BatchAck> VictimServiceStore::ApplyMonthlyAggregates(
    const v1::MonthlyCallAggregateBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.months_size(), "months"));
  BatchPlan plan(batch.sequence(), batch.months_size());
  for (int i = 0; i < batch.months_size(); ++i) {
    const auto& m = batch.months(i);
    FieldViolations v(absl::StrCat("months[", i, "]."));
    int32_t month = 0;
    ValidateMonthlyAggregate(m, &v, &month);
    const std::string id = absl::StrCat(m.force(), "/", m.month());
    if (!v.empty()) {
      plan.Reject(i, id, v);
      continue;
    }
    plan.Propose(i, id, PublishedMonthKey(m.force(), month),
                 ingest::CanonicalBytes(m));
  }
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kAggregates));
  if (!fresh.empty()) {
    rocksdb::WriteBatch wb;
    for (int p : fresh) {
      wb.Put(store_->Handle(kAggregates), plan.proposals()[p].key,
             plan.proposals()[p].value);
      wb.Put(store_->Handle(kAggregates),
             CallForceKey(batch.months(plan.record_index(p)).force()), "");
    }
    RETURN_IF_ERROR(store_->Write(&wb));
    plan.Accepted(fresh);
  }
  return plan.TakeAck();
}

absl::StatusOr<std::vector<CheckTallyCell>> VictimServiceStore::GetCheckTallies(
    const std::string& assessment_id) const {
  std::vector<CheckTallyCell> out;
  absl::Status status;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, KeyBuilder('S').Id(assessment_id).Take(),
      [&](absl::string_view k, absl::string_view v) {
        KeyReader r(k);
        char tag;
        absl::string_view id;
        uint32_t file_type, group;
        if (!(r.Tag(&tag) && r.Id(&id) && r.U32(&file_type) && r.U32(&group))) {
          status = absl::DataLossError("malformed check tally key");
          return false;
        }
        auto t = ParseStored<v1::storage::CheckTally>(v, "check tally");
        if (!t.ok()) {
          status = t.status();
          return false;
        }
        out.push_back({static_cast<v1::FileType>(file_type),
                       static_cast<v1::OffenceGroup>(group), std::move(*t)});
        return true;
      }));
  RETURN_IF_ERROR(status);
  return out;
}

absl::StatusOr<std::vector<std::string>>
VictimServiceStore::ForcesWithCallData() const {
  std::vector<std::string> out;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, "P", [&](absl::string_view k, absl::string_view) {
        KeyReader r(k);
        char tag;
        absl::string_view force;
        if (r.Tag(&tag) && r.Id(&force)) out.emplace_back(force);
        return true;
      }));
  return out;
}

// Call tallies from memory; published months by point lookups.
absl::StatusOr<std::vector<ForceCallMonths>> VictimServiceStore::GetCallMonths(
    const std::vector<std::string>& forces, int32_t first, int32_t last) const {
  const size_t months = static_cast<size_t>(last - first + 1);
  std::vector<std::string> keys;
  keys.reserve(forces.size() * months);
  for (const auto& force : forces) {
    for (int32_t m = first; m <= last; ++m) {
      keys.push_back(PublishedMonthKey(force, m));
    }
  }
  ASSIGN_OR_RETURN(auto values, store_->MultiGet(kAggregates, keys));
  std::vector<ForceCallMonths> out(forces.size());
  absl::ReaderMutexLock lock(&tally_mu_);
  size_t k = 0;
  for (size_t f = 0; f < forces.size(); ++f) {
    ForceCallMonths& months_of = out[f];
    months_of.emergency.resize(months);
    months_of.non_emergency.resize(months);
    months_of.published.resize(months);
    for (size_t m = 0; m < months; ++m, ++k) {
      const int32_t month = first + static_cast<int32_t>(m);
      if (auto it = call_tallies_.find(
              CallTallyKey(forces[f], v1::EMERGENCY_999, month));
          it != call_tallies_.end()) {
        months_of.emergency[m] = it->second;
      }
      if (auto it = call_tallies_.find(
              CallTallyKey(forces[f], v1::NON_EMERGENCY_101, month));
          it != call_tallies_.end()) {
        months_of.non_emergency[m] = it->second;
      }
      if (values[k].has_value()) {
        ASSIGN_OR_RETURN(months_of.published[m],
                         ParseStored<v1::MonthlyCallAggregate>(
                             *values[k], "published month"));
      }
    }
  }
  return out;
}

}  // namespace peel::victimservice
