#include "services/workforce/store.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/ingest/batch_ack.h"
#include "common/ingest/batch_plan.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "common/util/dates.h"
#include "common/util/log.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/workforce/validate.h"

namespace peel::workforce {

using ingest::BatchAckBuilder;
using peel::common::v1::BatchAck;
using store::KeyBuilder;
using validation::FieldViolations;

namespace {

std::string PersonKey(absl::string_view force, absl::string_view id) {
  return KeyBuilder('P').Id(force).Id(id).Take();
}
std::string EventKey(absl::string_view force, absl::string_view id) {
  return KeyBuilder('E').Id(force).Id(id).Take();
}
std::string DayKey(absl::string_view force, int32_t day) {
  return KeyBuilder('D').Id(force).I32(day).Take();
}
std::string LogKey(uint64_t seq) { return KeyBuilder('L').U64(seq).Take(); }
std::string QuarterKey(absl::string_view force, int32_t quarter) {
  return KeyBuilder('Q').Id(force).I32(quarter).Take();
}
std::string TargetKey(absl::string_view force) {
  return KeyBuilder('U').Id(force).Take();
}
std::string PopulationKey(absl::string_view force) {
  return KeyBuilder('R').Id(force).Take();
}
std::string ForceMarkKey(absl::string_view force) {
  return KeyBuilder('K').Id(force).Take();
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

// The stored form of a version: the effective date always explicit, so
// "same version" is "same effective date" and duplicates compare bytes.
v1::PersonRecord Normalized(const v1::PersonRecord& r) {
  v1::PersonRecord out = r;
  if (out.effective_date().empty()) out.set_effective_date(r.date_joined());
  return out;
}

// Inserts or replaces the version with r's effective date. Returns false
// when an identical version is already stored.
bool Upsert(v1::storage::PersonState* state, const v1::PersonRecord& r,
            const std::string& bytes) {
  const int32_t day = EffectiveDay(r);
  auto* versions = state->mutable_versions();
  int i = 0;
  for (; i < versions->size(); ++i) {
    const int32_t existing = EffectiveDay(versions->Get(i));
    if (existing == day) {
      if (ingest::CanonicalBytes(versions->Get(i)) == bytes) return false;
      *versions->Mutable(i) = r;
      return true;
    }
    if (existing > day) break;
  }
  *versions->Add() = r;
  for (int j = versions->size() - 1; j > i; --j)
    versions->SwapElements(j, j - 1);
  return true;
}

// Loaded person states of one batch: the state before the batch (for the
// old contribution) and the state being changed.
struct PersonSlot {
  std::string force;
  v1::storage::PersonState before;
  v1::storage::PersonState after;
  bool dirty = false;
};

absl::Status LoadPeople(const store::Store& store,
                        std::vector<std::string> keys,
                        const std::vector<std::string>& forces,
                        absl::flat_hash_map<std::string, PersonSlot>* slots) {
  ASSIGN_OR_RETURN(auto values, store.MultiGet(WorkforceStore::kPeople, keys));
  for (size_t i = 0; i < keys.size(); ++i) {
    PersonSlot slot;
    slot.force = forces[i];
    if (values[i].has_value()) {
      ASSIGN_OR_RETURN(slot.before, ParseStored<v1::storage::PersonState>(
                                        *values[i], "person state"));
    }
    slot.after = slot.before;
    slots->emplace(std::move(keys[i]), std::move(slot));
  }
  return absl::OkStatus();
}

// Puts the changed person states into `wb` in key order (RocksDB's memtable
// inserts a sorted batch far faster than a shuffled one) and collects the
// difference each makes to the counters.
void StagePeople(const absl::flat_hash_map<std::string, PersonSlot>& slots,
                 rocksdb::ColumnFamilyHandle* people, rocksdb::WriteBatch* wb,
                 absl::flat_hash_map<std::string, std::vector<Point>>* points,
                 absl::flat_hash_set<std::string>* new_forces) {
  std::vector<const std::pair<const std::string, PersonSlot>*> dirty;
  for (const auto& entry : slots) {
    if (entry.second.dirty) dirty.push_back(&entry);
  }
  std::sort(dirty.begin(), dirty.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : dirty) {
    const PersonSlot& slot = entry->second;
    wb->Put(people, entry->first, slot.after.SerializeAsString());
    std::vector<Point> diff =
        Difference(Contribution(slot.before), Contribution(slot.after));
    auto& out = (*points)[slot.force];
    out.insert(out.end(), diff.begin(), diff.end());
    if (slot.before.versions().empty() && !slot.after.versions().empty()) {
      new_forces->insert(slot.force);
    }
  }
}

}  // namespace

int32_t QuarterOf(int32_t day) {
  int y;
  unsigned m, d;
  dates::CivilFromDays(day, &y, &m, &d);
  return y * 4 + static_cast<int32_t>((m - 1) / 3);
}

absl::StatusOr<std::unique_ptr<WorkforceStore>> WorkforceStore::Open(
    store::StoreOptions options, int64_t checkpoint_points) {
  options.column_families = {"people", "aggregates", "reference"};
  ASSIGN_OR_RETURN(auto s, store::Store::Open(options));
  std::unique_ptr<WorkforceStore> out(new WorkforceStore(std::move(s)));
  out->checkpoint_points_ = std::max<int64_t>(1, checkpoint_points);
  RETURN_IF_ERROR(out->LoadReference());
  absl::MutexLock lock(&out->write_mu_);
  RETURN_IF_ERROR(out->LoadCounters());
  return out;
}

absl::Status WorkforceStore::LoadCounters() {
  absl::Status status;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, "D", [&](absl::string_view k, absl::string_view v) {
        store::KeyReader r(k);
        char tag;
        absl::string_view force;
        int32_t day;
        Row row;
        if (!(r.Tag(&tag) && r.Id(&force) && r.I32(&day)) ||
            !ParseRow(v, &row)) {
          status = absl::DataLossError("cannot parse stored counter row");
          return false;
        }
        counters_.Load(std::string(force), day, std::move(row));
        return true;
      }));
  RETURN_IF_ERROR(status);
  // Replay the changes logged since the last checkpoint, in order.
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, "L", [&](absl::string_view k, absl::string_view v) {
        store::KeyReader r(k);
        char tag;
        uint64_t seq;
        v1::storage::PointLog log;
        if (!(r.Tag(&tag) && r.U64(&seq)) ||
            !log.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          status = absl::DataLossError("cannot parse logged counter changes");
          return false;
        }
        std::vector<DayCounters::DayDelta> deltas;
        for (const auto& f : log.forces()) {
          const int n = f.day_size();
          if (f.cell_size() != n || f.count_size() != n ||
              f.fte_e4_size() != n) {
            status = absl::DataLossError("malformed logged counter changes");
            return false;
          }
          for (int i = 0; i < n; ++i) {
            if (deltas.empty() || deltas.back().force != f.force() ||
                deltas.back().day != f.day(i)) {
              deltas.push_back({f.force(), f.day(i), {}});
            }
            AddToRow(&deltas.back().delta, f.cell(i), f.count(i), f.fte_e4(i));
          }
          logged_points_ += n;
        }
        counters_.Install(deltas);
        next_log_seq_ = seq + 1;
        return true;
      }));
  return status;
}

absl::Status WorkforceStore::MaybeCheckpoint() {
  if (logged_points_ < checkpoint_points_) return absl::OkStatus();
  rocksdb::WriteBatch wb;
  for (const auto& d : counters_.DirtyRows()) {
    const std::string key = DayKey(d.force, d.day);
    if (d.row.empty()) {
      wb.Delete(store_->Handle(kAggregates), key);
    } else {
      wb.Put(store_->Handle(kAggregates), key, SerializeRow(d.row));
    }
  }
  wb.DeleteRange(store_->Handle(kAggregates), LogKey(0), LogKey(next_log_seq_));
  RETURN_IF_ERROR(store_->Write(&wb));
  counters_.ClearDirty();
  logged_points_ = 0;
  return absl::OkStatus();
}

void WorkforceStore::AfterWrite(
    const std::vector<DayCounters::DayDelta>& deltas) {
  if (deltas.empty()) return;
  counters_.Install(deltas);
  ++next_log_seq_;
  for (const auto& d : deltas) {
    logged_points_ += static_cast<int64_t>(d.delta.size());
  }
  // The batch is durable through the log whatever happens here; a failed
  // checkpoint is retried after the next batch.
  absl::Status s = MaybeCheckpoint();
  if (!s.ok()) log::Error(absl::StrCat("counter checkpoint: ", s.ToString()));
}

std::vector<DayCounters::DayDelta> WorkforceStore::AddPoints(
    const absl::flat_hash_map<std::string, std::vector<Point>>& by_force,
    rocksdb::WriteBatch* batch) {
  std::vector<DayCounters::DayDelta> deltas = DayCounters::Merge(by_force);
  if (deltas.empty()) return deltas;
  v1::storage::PointLog log;
  v1::storage::PointLog::ForceDays* f = nullptr;
  for (const auto& d : deltas) {
    if (f == nullptr || f->force() != d.force) {
      f = log.add_forces();
      f->set_force(d.force);
    }
    for (const CellSum& c : d.delta) {
      f->add_day(d.day);
      f->add_cell(c.cell);
      f->add_count(c.sum.count);
      f->add_fte_e4(c.sum.fte_e4);
    }
  }
  batch->Put(store_->Handle(kAggregates), LogKey(next_log_seq_),
             log.SerializeAsString());
  return deltas;
}

absl::StatusOr<BatchAck> WorkforceStore::ApplyPersonRecords(
    const v1::PersonRecordBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.records_size(), "records"));
  BatchAckBuilder ack(batch.sequence(), batch.records_size());
  std::vector<int> valid;
  std::vector<std::string> keys, forces;
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < batch.records_size(); ++i) {
    const auto& r = batch.records(i);
    FieldViolations v(absl::StrCat("records[", i, "]."));
    ValidatePersonRecord(r, &v);
    if (!v.empty()) {
      ack.Rejected(i, r.person_id(), v);
      continue;
    }
    valid.push_back(i);
    std::string key = PersonKey(r.force(), r.person_id());
    if (seen.insert(key).second) {
      keys.push_back(std::move(key));
      forces.push_back(r.force());
    }
  }

  absl::MutexLock lock(&write_mu_);
  absl::flat_hash_map<std::string, PersonSlot> slots;
  RETURN_IF_ERROR(LoadPeople(*store_, keys, forces, &slots));
  std::vector<int> accepted;
  for (int i : valid) {
    const auto& r = batch.records(i);
    PersonSlot& slot = slots[PersonKey(r.force(), r.person_id())];
    const v1::PersonRecord normal = Normalized(r);
    if (Upsert(&slot.after, normal, ingest::CanonicalBytes(normal))) {
      slot.dirty = true;
      accepted.push_back(i);
    } else {
      ack.Duplicate(i, r.person_id());
    }
  }
  if (!accepted.empty()) {
    rocksdb::WriteBatch wb;
    absl::flat_hash_map<std::string, std::vector<Point>> points;
    absl::flat_hash_set<std::string> new_forces;
    StagePeople(slots, store_->Handle(kPeople), &wb, &points, &new_forces);
    for (const auto& f : new_forces) {
      wb.Put(store_->Handle(kReference), ForceMarkKey(f), "");
    }
    auto deltas = AddPoints(points, &wb);
    RETURN_IF_ERROR(store_->Write(&wb));
    AfterWrite(deltas);
    for (int i : accepted) ack.Accepted(i, batch.records(i).person_id());
  }
  BatchAck out = ack.Take();
  std::sort(out.mutable_results()->begin(), out.mutable_results()->end(),
            [](const auto& a, const auto& b) { return a.index() < b.index(); });
  return out;
}

absl::StatusOr<BatchAck> WorkforceStore::ApplyWellbeingEvents(
    const v1::WellbeingEventBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.events_size(), "events"));
  ingest::BatchPlan plan(batch.sequence(), batch.events_size());
  for (int i = 0; i < batch.events_size(); ++i) {
    const auto& e = batch.events(i);
    FieldViolations v(absl::StrCat("events[", i, "]."));
    ValidateWellbeingEvent(e, &v);
    if (!v.empty()) {
      plan.Reject(i, e.event_id(), v);
      continue;
    }
    plan.Propose(i, e.event_id(), EventKey(e.force(), e.event_id()),
                 ingest::CanonicalBytes(e));
  }

  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kPeople));
  if (fresh.empty()) return plan.TakeAck();

  rocksdb::WriteBatch wb;
  std::map<std::pair<std::string, int32_t>, v1::storage::WaitTally> waits;
  std::vector<std::string> keys, forces;
  absl::flat_hash_set<std::string> seen;
  for (int p : fresh) {
    const auto& e = batch.events(plan.record_index(p));
    wb.Put(store_->Handle(kPeople), plan.proposals()[p].key,
           plan.proposals()[p].value);
    if (e.has_occupational_health()) {
      const int32_t referred =
          *dates::ParseIsoDate(e.occupational_health().referred_on());
      const int32_t appointment =
          *dates::ParseIsoDate(e.occupational_health().appointment_on());
      auto& t = waits[{e.force(), QuarterOf(appointment)}];
      t.set_appointments(t.appointments() + 1);
      t.set_total_wait_days(t.total_wait_days() + appointment - referred);
    } else {
      std::string key = PersonKey(e.force(), e.person_id());
      if (seen.insert(key).second) {
        keys.push_back(std::move(key));
        forces.push_back(e.force());
      }
    }
  }
  for (auto& [fq, tally] : waits) {
    const std::string key = QuarterKey(fq.first, fq.second);
    ASSIGN_OR_RETURN(auto stored, store_->Get(kAggregates, key));
    if (stored.has_value()) {
      ASSIGN_OR_RETURN(
          auto old, ParseStored<v1::storage::WaitTally>(*stored, "wait tally"));
      tally.set_appointments(tally.appointments() + old.appointments());
      tally.set_total_wait_days(tally.total_wait_days() +
                                old.total_wait_days());
    }
    wb.Put(store_->Handle(kAggregates), key, tally.SerializeAsString());
  }
  std::vector<DayCounters::DayDelta> deltas;
  if (!keys.empty()) {
    absl::flat_hash_map<std::string, PersonSlot> slots;
    RETURN_IF_ERROR(LoadPeople(*store_, keys, forces, &slots));
    for (int p : fresh) {
      const auto& e = batch.events(plan.record_index(p));
      if (!e.has_screening()) continue;
      PersonSlot& slot = slots[PersonKey(e.force(), e.person_id())];
      const int32_t day = *dates::ParseIsoDate(e.screening().done_on());
      auto* days = slot.after.mutable_screening_days();
      days->Add(day);
      std::sort(days->begin(), days->end());
      slot.dirty = true;
    }
    absl::flat_hash_map<std::string, std::vector<Point>> points;
    absl::flat_hash_set<std::string> new_forces;
    StagePeople(slots, store_->Handle(kPeople), &wb, &points, &new_forces);
    deltas = AddPoints(points, &wb);
  }
  RETURN_IF_ERROR(store_->Write(&wb));
  AfterWrite(deltas);
  {
    absl::MutexLock cache(&cache_mu_);
    for (const auto& [fq, tally] : waits) waits_[fq.first][fq.second] = tally;
  }
  plan.Accepted(fresh);
  return plan.TakeAck();
}

absl::StatusOr<v1::UpliftTarget> WorkforceStore::PutUpliftTarget(
    const v1::UpliftTarget& target) {
  RETURN_IF_ERROR(ValidateUpliftTarget(target));
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kReference), TargetKey(target.force()),
         target.SerializeAsString());
  absl::MutexLock lock(&write_mu_);
  {
    // The same target again (a re-import) writes nothing, so the data
    // version stays and clients can count it as a duplicate.
    absl::ReaderMutexLock cache(&cache_mu_);
    auto it = targets_.find(target.force());
    if (it != targets_.end() &&
        it->second.SerializeAsString() == target.SerializeAsString()) {
      return target;
    }
  }
  RETURN_IF_ERROR(store_->Write(&wb));
  absl::MutexLock cache(&cache_mu_);
  targets_[target.force()] = target;
  return target;
}

absl::StatusOr<std::optional<v1::UpliftTarget>> WorkforceStore::GetUpliftTarget(
    absl::string_view force) const {
  absl::ReaderMutexLock lock(&cache_mu_);
  auto it = targets_.find(force);
  if (it == targets_.end()) return std::optional<v1::UpliftTarget>();
  return std::optional<v1::UpliftTarget>(it->second);
}

absl::StatusOr<v1::PopulationReference> WorkforceStore::PutPopulationReference(
    const v1::PopulationReference& reference) {
  RETURN_IF_ERROR(ValidatePopulationReference(reference));
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kReference), PopulationKey(reference.force()),
         reference.SerializeAsString());
  absl::MutexLock lock(&write_mu_);
  {
    // An identical reference writes nothing (see PutUpliftTarget).
    absl::ReaderMutexLock cache(&cache_mu_);
    auto it = populations_.find(reference.force());
    if (it != populations_.end() &&
        it->second.SerializeAsString() == reference.SerializeAsString()) {
      return reference;
    }
  }
  RETURN_IF_ERROR(store_->Write(&wb));
  absl::MutexLock cache(&cache_mu_);
  populations_[reference.force()] = reference;
  return reference;
}

absl::StatusOr<std::optional<v1::PopulationReference>>
WorkforceStore::GetPopulationReference(absl::string_view force) const {
  absl::ReaderMutexLock lock(&cache_mu_);
  auto it = populations_.find(force);
  if (it == populations_.end()) {
    return std::optional<v1::PopulationReference>();
  }
  return std::optional<v1::PopulationReference>(it->second);
}

absl::StatusOr<v1::storage::PersonState> WorkforceStore::GetPerson(
    absl::string_view force, absl::string_view person_id) const {
  ASSIGN_OR_RETURN(auto bytes,
                   store_->Get(kPeople, PersonKey(force, person_id)));
  if (!bytes.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("person_id: no person ", person_id, " in ", force));
  }
  return ParseStored<v1::storage::PersonState>(*bytes, "person state");
}

absl::StatusOr<CounterSums> WorkforceStore::SumTo(absl::string_view force,
                                                  int32_t day) const {
  return counters_.SumTo(force, day);
}

absl::StatusOr<std::vector<std::pair<int32_t, v1::storage::WaitTally>>>
WorkforceStore::Waits(absl::string_view force, int32_t first,
                      int32_t last) const {
  std::vector<std::pair<int32_t, v1::storage::WaitTally>> out;
  absl::ReaderMutexLock lock(&cache_mu_);
  auto f = waits_.find(force);
  if (f == waits_.end()) return out;
  for (auto it = f->second.lower_bound(first);
       it != f->second.end() && it->first <= last; ++it) {
    out.push_back(*it);
  }
  return out;
}

absl::Status WorkforceStore::LoadReference() {
  absl::Status status;
  absl::MutexLock lock(&cache_mu_);
  RETURN_IF_ERROR(store_->ScanPrefix(
      kReference, "U", [&](absl::string_view, absl::string_view v) {
        v1::UpliftTarget t;
        if (!t.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          status = absl::DataLossError("cannot parse stored uplift target");
          return false;
        }
        targets_[t.force()] = std::move(t);
        return true;
      }));
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(store_->ScanPrefix(
      kReference, "R", [&](absl::string_view, absl::string_view v) {
        v1::PopulationReference p;
        if (!p.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          status = absl::DataLossError("cannot parse stored population");
          return false;
        }
        populations_[p.force()] = std::move(p);
        return true;
      }));
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, "Q", [&](absl::string_view k, absl::string_view v) {
        store::KeyReader r(k);
        char tag;
        absl::string_view f;
        int32_t q;
        v1::storage::WaitTally t;
        if (!(r.Tag(&tag) && r.Id(&f) && r.I32(&q)) ||
            !t.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          status = absl::DataLossError("cannot parse stored wait tally");
          return false;
        }
        waits_[std::string(f)][q] = std::move(t);
        return true;
      }));
  return status;
}

absl::StatusOr<std::vector<std::string>> WorkforceStore::ForcesWithPeople()
    const {
  std::vector<std::string> out;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kReference, "K", [&](absl::string_view k, absl::string_view) {
        store::KeyReader r(k);
        char tag;
        absl::string_view f;
        if (r.Tag(&tag) && r.Id(&f)) out.emplace_back(f);
        return true;
      }));
  return out;
}

}  // namespace peel::workforce
