#include "services/soc-disruptions/store.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/ingest/batch_ack.h"
#include "common/ingest/batch_plan.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "common/util/dates.h"
#include "common/util/status_macros.h"
#include "services/soc-disruptions/validate.h"

namespace peel::soc {

using peel::common::v1::BatchAck;
using store::KeyBuilder;
using validation::FieldViolations;

namespace {

std::string GroupKey(absl::string_view id) {
  return KeyBuilder('G').Id(id).Take();
}
std::string DisruptionKey(absl::string_view id) {
  return KeyBuilder('D').Id(id).Take();
}
std::string HistoryKey(absl::string_view group, int32_t day,
                       absl::string_view id) {
  return KeyBuilder('H').Id(group).I32(day).Id(id).Take();
}
// A history chunk: the (day, disruption id) entries of a group's history
// keys, stored together, each as its key's bytes after the group id.
std::string HistoryChunkKey(absl::string_view group, uint64_t chunk) {
  return KeyBuilder('H').Id(group).U64(chunk).Take();
}
// The group id of a history key.
absl::string_view HistoryGroup(absl::string_view key) {
  return key.substr(1, key.find('\0', 1) - 1);
}
std::string MonthKey(absl::string_view force, int32_t month) {
  return KeyBuilder('M').Id(force).I32(month).Take();
}
std::string OperationKey(absl::string_view force, absl::string_view op) {
  return KeyBuilder('O').Id(force).Id(op).Take();
}
std::string GroupStateKey(absl::string_view force, absl::string_view group) {
  return KeyBuilder('F').Id(force).Id(group).Take();
}

int32_t SystemToday() {
  return dates::DayOfUnixSeconds(static_cast<int64_t>(std::time(nullptr)));
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

int32_t DayOf(absl::string_view iso) {
  auto d = dates::ParseIsoDate(iso);
  return d.ok() ? *d : 0;
}

// The state derived from the group's own fields; months and counts kept.
void SetGroupFields(const v1::OrganisedCrimeGroup& g,
                    v1::storage::GroupState* s) {
  s->set_has_4p_plan(g.has_4p_plan());
  s->set_active_from_day(DayOf(g.active_from()));
  s->set_archived(g.status() == v1::ARCHIVED);
  s->set_archived_day(g.status() == v1::ARCHIVED ? DayOf(g.archived_on()) : 0);
}

// kNew, kDuplicate (same bytes stored or earlier in the batch) or kConflict
// (same key, other bytes) per candidate; `stored` is aligned with them. As
// common/ingest ResolveWrites, but from values already read.
std::vector<ingest::Resolution> ResolveAgainst(
    const std::vector<ingest::Candidate>& candidates,
    const std::vector<std::optional<std::string>>& stored) {
  std::vector<ingest::Resolution> out(candidates.size(),
                                      ingest::Resolution::kNew);
  absl::flat_hash_map<absl::string_view, const std::string*> in_batch;
  in_batch.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const ingest::Candidate& c = candidates[i];
    const std::string* earlier = nullptr;
    if (stored[i].has_value()) {
      earlier = &*stored[i];
    } else if (auto it = in_batch.find(c.key); it != in_batch.end()) {
      earlier = it->second;
    }
    if (earlier == nullptr) {
      in_batch.emplace(c.key, &c.value);
    } else {
      out[i] = *earlier == c.value ? ingest::Resolution::kDuplicate
                                   : ingest::Resolution::kConflict;
    }
  }
  return out;
}

// Results in batch order, as BatchPlan::TakeAck gives them.
BatchAck SortedAck(BatchAck ack) {
  std::sort(ack.mutable_results()->begin(), ack.mutable_results()->end(),
            [](const auto& a, const auto& b) { return a.index() < b.index(); });
  return ack;
}

// What one batch adds to one group's state.
struct GroupDelta {
  // Ascending, distinct; usually one or two (no allocation then).
  absl::InlinedVector<int32_t, 2> months;

  void AddMonth(int32_t m) {
    auto it = std::lower_bound(months.begin(), months.end(), m);
    if (it == months.end() || *it != m) months.insert(it, m);
  }
  int64_t disruptions = 0;
};

// Adds `delta` to `state` in place (months stay ascending and distinct).
void AddToState(const GroupDelta& delta, v1::storage::GroupState* state) {
  auto* months = state->mutable_months();
  for (int32_t m : delta.months) {
    auto it = std::lower_bound(months->begin(), months->end(), m);
    if (it != months->end() && *it == m) continue;
    const auto pos = it - months->begin();
    months->Add(m);
    std::rotate(months->begin() + pos, months->end() - 1, months->end());
  }
  state->set_disruptions(state->disruptions() + delta.disruptions);
}

}  // namespace

struct SocStore::Deltas {
  absl::flat_hash_map<std::string, Counts> tallies;     // by 'M' / 'O' key
  absl::flat_hash_map<std::string, GroupDelta> groups;  // by 'F' key
  std::vector<std::string> history;                     // 'H' keys

  // `d` is valid; `day` its date.
  void Add(const v1::Disruption& d, int32_t day) {
    const int32_t month = MonthOfDay(day);
    tallies[MonthKey(d.force(), month)].Add(d, day);
    if (!d.operation().empty()) {
      tallies[OperationKey(d.force(), d.operation())].Add(d, day);
    }
    if (!d.group_id().empty()) {
      GroupDelta& g = groups[GroupStateKey(d.force(), d.group_id())];
      g.AddMonth(month);
      ++g.disruptions;
      history.push_back(HistoryKey(d.group_id(), day, d.disruption_id()));
    }
  }
  void Clear() {
    tallies.clear();
    groups.clear();
    history.clear();
  }
};

absl::StatusOr<std::unique_ptr<SocStore>> SocStore::Open(
    store::StoreOptions options, TodayFn today,
    AggregateCheckpoints checkpoints) {
  options.column_families = {"groups", "disruptions", "aggregates"};
  ASSIGN_OR_RETURN(auto s, store::Store::Open(options));
  if (!today) today = SystemToday;
  checkpoints.records = std::max<int64_t>(1, checkpoints.records);
  checkpoints.batches = std::max(1, checkpoints.batches);
  std::unique_ptr<SocStore> out(
      new SocStore(std::move(s), std::move(today), checkpoints));
  RETURN_IF_ERROR(out->LoadCaches());
  return out;
}

absl::Status SocStore::LoadCaches() {
  absl::MutexLock write(&write_mu_);
  absl::MutexLock cache(&cache_mu_);
  absl::Status parse;
  std::vector<std::pair<std::string, std::string>> journal;
  RETURN_IF_ERROR(store_->Scan(
      kAggregates, "", "", [&](absl::string_view key, absl::string_view value) {
        if (key.empty()) return true;
        if (key[0] == 'J') {
          journal.emplace_back(std::string(key), std::string(value));
        } else if (key[0] == 'F') {
          auto state = ParseStored<v1::storage::GroupState>(value, "state");
          if (!state.ok()) {
            parse = state.status();
            return false;
          }
          StateAt(std::string(key)) = *std::move(state);
        } else {
          auto t = ParseStored<v1::storage::DisruptionTally>(value, "tally");
          if (!t.ok()) {
            parse = t.status();
            return false;
          }
          TallyAt(std::string(key)) = Counts::FromTally(*t);
        }
        return true;
      }));
  RETURN_IF_ERROR(parse);
  RETURN_IF_ERROR(store_->ScanPrefix(
      kGroups, "G", [&](absl::string_view, absl::string_view value) {
        auto g = ParseStored<v1::OrganisedCrimeGroup>(value, "group");
        if (!g.ok()) {
          parse = g.status();
          return false;
        }
        group_force_[g->group_id()] = g->force();
        return true;
      }));
  RETURN_IF_ERROR(parse);

  // The journal: disruptions written since the last checkpoint, which the
  // stored aggregates do not count yet and whose history keys are not
  // stored yet.
  Deltas replay;
  const ingest::JournalShape shape{
      "aggregate journal", "disruption", kDisruptions,
      [](absl::string_view ids, std::vector<std::string>* keys) {
        for (absl::string_view id :
             absl::StrSplit(ids, '\0', absl::SkipEmpty())) {
          keys->push_back(DisruptionKey(id));
        }
        return absl::OkStatus();
      }};
  ASSIGN_OR_RETURN(ingest::JournalReplay replayed,
                   ingest::ReplayJournal(
                       *store_, shape, journal, [&](absl::string_view value) {
                         ASSIGN_OR_RETURN(auto d, ParseStored<v1::Disruption>(
                                                      value, "disruption"));
                         replay.Add(d, DayOf(d.date()));
                         return absl::OkStatus();
                       }));
  next_journal_ = std::max(next_journal_, replayed.next);
  journal_keys_ = std::move(replayed.keys);
  journal_records_ = replayed.records;
  std::sort(replay.history.begin(), replay.history.end());
  ApplyDeltas(&replay);
  for (const auto& [key, delta] : replay.tallies) dirty_.insert(key);
  for (const auto& [key, delta] : replay.groups) dirty_.insert(key);
  PublishVersion();
  return absl::OkStatus();
}

Counts& SocStore::TallyAt(const std::string& key) {
  auto [it, added] = tally_index_.try_emplace(key, nullptr);
  if (added) it->second = &tallies_[key];
  return *it->second;
}

v1::storage::GroupState& SocStore::StateAt(const std::string& key) {
  auto [it, added] = state_index_.try_emplace(key, nullptr);
  if (added) it->second = &group_states_[key];
  return *it->second;
}

void SocStore::ApplyDeltas(Deltas* deltas) {
  for (const auto& [key, delta] : deltas->tallies) TallyAt(key).Merge(delta);
  for (const auto& [key, delta] : deltas->groups) {
    AddToState(delta, &StateAt(key));
  }
  if (!deltas->history.empty()) {
    pending_history_.push_back(std::move(deltas->history));
    deltas->history.clear();
  }
}

void SocStore::AddCheckpoint(const Deltas* batch, const std::string* state_key,
                             const v1::storage::GroupState* state,
                             rocksdb::WriteBatch* wb) {
  std::vector<const std::string*> keys;
  keys.reserve(dirty_.size() +
               (batch ? batch->tallies.size() + batch->groups.size() : 0) + 1);
  for (const std::string& key : dirty_) keys.push_back(&key);
  if (batch != nullptr) {
    for (const auto& [key, delta] : batch->tallies) {
      if (!dirty_.contains(key)) keys.push_back(&key);
    }
    for (const auto& [key, delta] : batch->groups) {
      if (!dirty_.contains(key)) keys.push_back(&key);
    }
  }
  if (state_key != nullptr && !dirty_.contains(*state_key) &&
      (batch == nullptr || !batch->groups.contains(*state_key))) {
    keys.push_back(state_key);
  }
  std::sort(keys.begin(), keys.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });

  rocksdb::ColumnFamilyHandle* cf = store_->Handle(kAggregates);
  absl::ReaderMutexLock cache(&cache_mu_);
  for (const std::string* key : keys) {
    if ((*key)[0] == 'F') {
      v1::storage::GroupState s;
      if (state_key != nullptr && *key == *state_key) {
        s = *state;
      } else if (auto it = state_index_.find(*key); it != state_index_.end()) {
        s = *it->second;
      }
      if (batch != nullptr) {
        if (auto it = batch->groups.find(*key); it != batch->groups.end()) {
          AddToState(it->second, &s);
        }
      }
      wb->Put(cf, *key, s.SerializeAsString());
    } else {
      Counts c;
      if (auto it = tally_index_.find(*key); it != tally_index_.end()) {
        c = *it->second;
      }
      if (batch != nullptr) {
        if (auto it = batch->tallies.find(*key); it != batch->tallies.end()) {
          c.Merge(it->second);
        }
      }
      wb->Put(cf, *key, c.ToTally().SerializeAsString());
    }
  }
  for (const std::string& key : journal_keys_) wb->Delete(cf, key);

  // The journal's history keys, in key order.
  std::vector<const std::string*> history;
  size_t n = batch != nullptr ? batch->history.size() : 0;
  for (const auto& keys : pending_history_) n += keys.size();
  history.reserve(n);
  for (const auto& keys : pending_history_) {
    for (const std::string& key : keys) history.push_back(&key);
  }
  if (batch != nullptr) {
    for (const std::string& key : batch->history) history.push_back(&key);
  }
  std::sort(history.begin(), history.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  // One chunk per group: a key per disruption made these random memtable
  // inserts most of the ingest's cost. The chunk's number is the sequence
  // number the WriteBatch will follow, unique because writes hold write_mu_.
  rocksdb::ColumnFamilyHandle* records = store_->Handle(kDisruptions);
  const uint64_t chunk = store_->DataVersion() + 1;
  std::string value;
  for (size_t i = 0; i < history.size();) {
    const absl::string_view group = HistoryGroup(*history[i]);
    const size_t entry = group.size() + 2;  // after 'H', the id and its '\0'
    value.clear();
    for (; i < history.size() && HistoryGroup(*history[i]) == group; ++i) {
      value.append(*history[i], entry);
    }
    wb->Put(records, HistoryChunkKey(group, chunk), value);
  }
}

void SocStore::CheckpointWritten() {
  journal_keys_.clear();
  journal_records_ = 0;
  dirty_.clear();
  absl::MutexLock cache(&cache_mu_);
  pending_history_.clear();
}

absl::StatusOr<v1::OrganisedCrimeGroup> SocStore::RegisterGroup(
    const v1::OrganisedCrimeGroup& group) {
  RETURN_IF_ERROR(ValidateGroup(group, today_()));
  const std::string key = GroupKey(group.group_id());
  const std::string bytes = ingest::CanonicalBytes(group);
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(auto existing, store_->Get(kGroups, key));
  if (existing.has_value()) {
    if (*existing == bytes) return group;
    return absl::AlreadyExistsError(absl::StrCat(
        "group.group_id: group ", group.group_id(),
        " is already registered with different content; use UpdateGroup"));
  }
  v1::storage::GroupState state;
  SetGroupFields(group, &state);
  const std::string state_key = GroupStateKey(group.force(), group.group_id());
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kGroups), key, bytes);
  wb.Put(store_->Handle(kAggregates), state_key, state.SerializeAsString());
  RETURN_IF_ERROR(store_->Write(&wb));
  {
    absl::MutexLock cache(&cache_mu_);
    StateAt(state_key) = std::move(state);
    group_force_[group.group_id()] = group.force();
  }
  PublishVersion();
  return group;
}

absl::StatusOr<v1::OrganisedCrimeGroup> SocStore::UpdateGroup(
    const v1::OrganisedCrimeGroup& group) {
  RETURN_IF_ERROR(ValidateGroup(group, today_()));
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(v1::OrganisedCrimeGroup stored, GetGroup(group.group_id()));
  if (stored.force() != group.force()) {
    return validation::InvalidField(
        "group.force",
        absl::StrCat("group ", group.group_id(), " is registered to ",
                     stored.force(), "; a group's force cannot change"));
  }
  const std::string state_key = GroupStateKey(group.force(), group.group_id());
  v1::storage::GroupState state;
  {
    absl::ReaderMutexLock cache(&cache_mu_);
    if (auto it = state_index_.find(state_key); it != state_index_.end()) {
      state = *it->second;
    }
  }
  SetGroupFields(group, &state);
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kGroups), GroupKey(group.group_id()),
         ingest::CanonicalBytes(group));
  // The state written counts the journal's disruptions too, so this is a
  // checkpoint (usually of this one key: the journal is mostly short).
  AddCheckpoint(nullptr, &state_key, &state, &wb);
  RETURN_IF_ERROR(store_->Write(&wb));
  CheckpointWritten();
  {
    absl::MutexLock cache(&cache_mu_);
    StateAt(state_key) = std::move(state);
  }
  PublishVersion();
  return group;
}

absl::StatusOr<v1::OrganisedCrimeGroup> SocStore::GetGroup(
    absl::string_view group_id) const {
  ASSIGN_OR_RETURN(auto bytes, store_->Get(kGroups, GroupKey(group_id)));
  if (!bytes.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("group_id: no group '", group_id, "'"));
  }
  return ParseStored<v1::OrganisedCrimeGroup>(*bytes, "group");
}

absl::StatusOr<std::vector<v1::OrganisedCrimeGroup>> SocStore::ListGroups(
    absl::string_view force) const {
  std::vector<std::string> keys;
  RETURN_IF_ERROR(VisitGroupStates(
      force, [&](absl::string_view id, const v1::storage::GroupState&) {
        keys.push_back(GroupKey(id));
      }));
  ASSIGN_OR_RETURN(auto values, store_->MultiGet(kGroups, keys));
  std::vector<v1::OrganisedCrimeGroup> out;
  out.reserve(values.size());
  for (const auto& v : values) {
    if (!v.has_value()) {
      return absl::DataLossError("group state without its group");
    }
    ASSIGN_OR_RETURN(auto g, ParseStored<v1::OrganisedCrimeGroup>(*v, "group"));
    out.push_back(std::move(g));
  }
  return out;
}

bool SocStore::NothingWrittenSince(
    uint64_t seen, const std::vector<uint64_t>& hashes,
    const std::vector<std::optional<std::string>>& stored) const {
  const uint64_t now = committed_batches_.load(std::memory_order_relaxed);
  if (now == seen) return true;
  // recent_ holds consecutive generations; it must reach back to seen + 1.
  if (recent_.empty() || recent_.front().generation > seen + 1) return false;
  for (const Written& w : recent_) {
    if (w.generation <= seen) continue;
    for (size_t p = 0; p < hashes.size(); ++p) {
      if (stored[p].has_value()) continue;
      if (std::binary_search(w.key_hashes.begin(), w.key_hashes.end(),
                             hashes[p])) {
        return false;
      }
    }
  }
  return true;
}

absl::StatusOr<BatchAck> SocStore::ApplyDisruptions(
    const v1::DisruptionBatch& batch) {
  const int n = batch.disruptions_size();
  RETURN_IF_ERROR(ingest::CheckBatchSize(n, "disruptions"));
  const int32_t today = today_();

  // 1. Each record's own fields.
  ingest::BatchAckBuilder ack(batch.sequence(), n);
  std::vector<int> index;  // proposal -> record index
  std::vector<ingest::Candidate> props;
  index.reserve(static_cast<size_t>(n));
  props.reserve(static_cast<size_t>(n));
  std::vector<int32_t> days(static_cast<size_t>(n), 0);
  std::vector<int> valid;
  valid.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const v1::Disruption& d = batch.disruptions(i);
    FieldViolations v(absl::StrCat("disruptions[", i, "]."));
    ValidateDisruption(d, today, &v, &days[static_cast<size_t>(i)]);
    if (!v.empty()) {
      ack.Rejected(i, d.disruption_id(), v);
      continue;
    }
    valid.push_back(i);
  }

  // 2. The groups they name: registered, and to the same force.
  std::vector<std::string> group_errors(valid.size());
  {
    absl::ReaderMutexLock cache(&cache_mu_);
    for (size_t k = 0; k < valid.size(); ++k) {
      const v1::Disruption& d = batch.disruptions(valid[k]);
      if (d.group_id().empty()) continue;
      auto it = group_force_.find(d.group_id());
      if (it == group_force_.end()) {
        group_errors[k] =
            absl::StrCat("no group '", d.group_id(), "' is registered");
      } else if (it->second != d.force()) {
        group_errors[k] =
            absl::StrCat("group ", d.group_id(), " is registered to ",
                         it->second, ", not ", d.force());
      }
    }
  }
  for (size_t k = 0; k < valid.size(); ++k) {
    const int i = valid[k];
    const v1::Disruption& d = batch.disruptions(i);
    if (!group_errors[k].empty()) {
      FieldViolations v(absl::StrCat("disruptions[", i, "]."));
      v.Add("group_id", group_errors[k]);
      ack.Rejected(i, d.disruption_id(), v);
      continue;
    }
    index.push_back(i);
    props.push_back(
        {DisruptionKey(d.disruption_id()), ingest::CanonicalBytes(d)});
  }

  // 3. What the proposals would write, prepared before taking the writer
  // lock: sorted record keys (the memtable's skiplist inserts sorted runs far
  // faster than random keys) and the aggregate deltas. Under the lock only
  // the new ones (a subset, so the order holds) are kept.
  const size_t np = props.size();
  std::vector<size_t> by_key(np);
  for (size_t p = 0; p < np; ++p) by_key[p] = p;
  std::sort(by_key.begin(), by_key.end(),
            [&](size_t x, size_t y) { return props[x].key < props[y].key; });

  Deltas deltas;
  auto accumulate = [&](const std::vector<char>* fresh) {
    deltas.Clear();
    for (size_t p = 0; p < np; ++p) {
      if (fresh != nullptr && !(*fresh)[p]) continue;
      const int i = index[p];
      deltas.Add(batch.disruptions(i), days[static_cast<size_t>(i)]);
    }
    std::sort(deltas.history.begin(), deltas.history.end());
  };
  accumulate(nullptr);  // the usual case: every proposal is new

  // 4. Which proposals are new. The store is read before the writer lock;
  // under it, the keys found absent are checked against the batches written
  // since that read (recent_ keeps their key hashes). A possible overlap, or
  // more batches since than recent_ keeps, means reading again under the
  // lock. Stored disruptions never change, so keys found present are final.
  std::vector<std::string> keys(np);
  std::vector<uint64_t> hashes(np);
  for (size_t p = 0; p < np; ++p) {
    keys[p] = props[p].key;
    hashes[p] = std::hash<std::string>{}(props[p].key);
  }
  const uint64_t seen = committed_batches_.load(std::memory_order_acquire);
  ASSIGN_OR_RETURN(auto stored, store_->MultiGet(kDisruptions, keys));

  absl::MutexLock lock(&write_mu_);
  if (!NothingWrittenSince(seen, hashes, stored)) {
    ASSIGN_OR_RETURN(stored, store_->MultiGet(kDisruptions, keys));
  }
  const std::vector<ingest::Resolution> resolution =
      ResolveAgainst(props, stored);
  std::vector<size_t> fresh;
  fresh.reserve(np);
  std::vector<char> is_fresh(np, 0);
  for (size_t p = 0; p < np; ++p) {
    const v1::Disruption& d = batch.disruptions(index[p]);
    switch (resolution[p]) {
      case ingest::Resolution::kNew:
        fresh.push_back(p);
        is_fresh[p] = 1;
        break;
      case ingest::Resolution::kDuplicate:
        ack.Duplicate(index[p], d.disruption_id());
        break;
      case ingest::Resolution::kConflict:
        ack.Rejected(index[p], d.disruption_id(), "id",
                     "already stored with different content");
        break;
    }
  }
  if (fresh.empty()) return SortedAck(ack.Take());
  if (fresh.size() != np) accumulate(&is_fresh);

  rocksdb::WriteBatch wb;
  std::string journal;       // the accepted ids, each followed by '\0'
  for (size_t p : by_key) {  // sorted 'D' keys
    if (!is_fresh[p]) continue;
    const ingest::Candidate& c = props[p];
    wb.Put(store_->Handle(kDisruptions), c.key, c.value);
    const std::string& id = batch.disruptions(index[p]).disruption_id();
    journal.append(id).push_back('\0');
  }

  // The aggregates and history keys: a journal entry naming the new
  // disruptions, or, when the journal is long enough, a checkpoint of every
  // changed aggregate and every history key since the last one, with this
  // batch included. Either way they are adopted in memory only once the
  // WriteBatch is written.
  const int64_t added = static_cast<int64_t>(fresh.size());
  const bool checkpoint =
      journal_records_ + added >= checkpoints_.records ||
      static_cast<int64_t>(journal_keys_.size()) + 1 >= checkpoints_.batches;
  std::string journal_key;
  if (checkpoint) {
    AddCheckpoint(&deltas, nullptr, nullptr, &wb);
  } else {
    journal_key = ingest::JournalKey(next_journal_++);
    wb.Put(store_->Handle(kAggregates), journal_key, journal);
  }
  RETURN_IF_ERROR(store_->Write(&wb));
  {
    absl::MutexLock cache(&cache_mu_);
    ApplyDeltas(&deltas);
  }
  if (checkpoint) {
    CheckpointWritten();
  } else {
    journal_keys_.push_back(std::move(journal_key));
    journal_records_ += added;
    for (const auto& [key, delta] : deltas.tallies) dirty_.insert(key);
    for (const auto& [key, delta] : deltas.groups) dirty_.insert(key);
  }
  PublishVersion();

  // Remember what this batch wrote, for streams that read before it.
  Written written;
  written.generation = committed_batches_.load(std::memory_order_relaxed) + 1;
  written.key_hashes.reserve(fresh.size());
  for (size_t p : fresh) written.key_hashes.push_back(hashes[p]);
  std::sort(written.key_hashes.begin(), written.key_hashes.end());
  recent_.push_back(std::move(written));
  if (recent_.size() > kRecentBatches) recent_.pop_front();
  committed_batches_.store(recent_.back().generation,
                           std::memory_order_release);

  for (size_t p : fresh) {
    ack.Accepted(index[p], batch.disruptions(index[p]).disruption_id());
  }
  return SortedAck(ack.Take());
}

absl::StatusOr<Counts> SocStore::SumMonths(absl::string_view force,
                                           int32_t first_month,
                                           int months) const {
  Counts total;
  const std::string begin = MonthKey(force, first_month);
  const std::string end = MonthKey(force, first_month + months);
  absl::ReaderMutexLock cache(&cache_mu_);
  for (auto it = tallies_.lower_bound(begin);
       it != tallies_.end() && it->first < end; ++it) {
    total.Merge(it->second);
  }
  return total;
}

absl::Status SocStore::VisitGroupStates(
    absl::string_view force,
    const std::function<void(absl::string_view,
                             const v1::storage::GroupState&)>& visit) const {
  const std::string prefix = KeyBuilder('F').Id(force).Take();
  absl::ReaderMutexLock cache(&cache_mu_);
  for (auto it = group_states_.lower_bound(prefix);
       it != group_states_.end() &&
       absl::string_view(it->first).substr(0, prefix.size()) == prefix;
       ++it) {
    store::KeyReader r(it->first);
    char tag;
    absl::string_view f, id;
    if (!r.Tag(&tag) || !r.Id(&f) || !r.Id(&id)) {
      return absl::InternalError("malformed group state key");
    }
    visit(id, it->second);
  }
  return absl::OkStatus();
}

absl::StatusOr<Counts> SocStore::OperationCounts(
    absl::string_view force, absl::string_view operation) const {
  const std::string key = OperationKey(force, operation);
  absl::ReaderMutexLock cache(&cache_mu_);
  auto it = tally_index_.find(key);
  if (it == tally_index_.end()) {
    return absl::NotFoundError(absl::StrCat("operation: no disruption of ",
                                            force, " names operation '",
                                            operation, "'"));
  }
  return *it->second;
}

absl::StatusOr<std::vector<v1::Disruption>> SocStore::GroupHistory(
    absl::string_view group_id) const {
  ASSIGN_OR_RETURN(auto group, GetGroup(group_id));
  (void)group;
  // History entries not yet stored (the journal's), then the stored ones:
  // read in this order, a checkpoint storing them in between leaves them in
  // one or both lists, never in neither. An entry is a history key's bytes
  // after the group id: the day (I32, so byte order is date order) and the
  // disruption id with its '\0'.
  const std::string prefix = KeyBuilder('H').Id(group_id).Take();
  std::vector<std::string> history;
  {
    absl::ReaderMutexLock cache(&cache_mu_);
    for (const auto& keys : pending_history_) {
      for (auto it = std::lower_bound(keys.begin(), keys.end(), prefix);
           it != keys.end() && absl::StartsWith(*it, prefix); ++it) {
        history.push_back(it->substr(prefix.size()));
      }
    }
  }
  bool malformed = false;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kDisruptions, prefix,
      [&](absl::string_view key, absl::string_view value) {
        if (value.empty()) {  // one entry per key, as stores before chunks
          history.emplace_back(key.substr(prefix.size()));
          return true;
        }
        while (!value.empty()) {
          const size_t end = value.find('\0', sizeof(int32_t));
          if (end == absl::string_view::npos) {
            malformed = true;
            return false;
          }
          history.emplace_back(value.substr(0, end + 1));
          value.remove_prefix(end + 1);
        }
        return true;
      }));
  if (malformed) return absl::DataLossError("malformed group history chunk");
  std::sort(history.begin(), history.end());
  history.erase(std::unique(history.begin(), history.end()), history.end());
  std::vector<std::string> keys;
  keys.reserve(history.size());
  for (const std::string& entry : history) {
    store::KeyReader r(entry);
    absl::string_view id;
    int32_t day;
    if (!r.I32(&day) || !r.Id(&id)) {
      return absl::DataLossError("malformed group history entry");
    }
    keys.push_back(DisruptionKey(id));
  }
  ASSIGN_OR_RETURN(auto values, store_->MultiGet(kDisruptions, keys));
  std::vector<v1::Disruption> out;
  out.reserve(values.size());
  absl::Status parse;
  for (const auto& v : values) {
    if (!v.has_value()) {
      return absl::DataLossError("history index names a missing disruption");
    }
    ASSIGN_OR_RETURN(auto d, ParseStored<v1::Disruption>(*v, "disruption"));
    out.push_back(std::move(d));
  }
  RETURN_IF_ERROR(parse);
  return out;
}

}  // namespace peel::soc
