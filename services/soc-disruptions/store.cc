#include "services/soc-disruptions/store.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/ingest/batch_plan.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "common/util/dates.h"
#include "common/util/status_macros.h"
#include "services/soc-disruptions/validate.h"

namespace peel::soc {

using ingest::BatchPlan;
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

// What one batch adds to one group's state.
struct GroupDelta {
  std::string force;
  absl::btree_set<int32_t> months;
  int64_t disruptions = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SocStore>> SocStore::Open(
    store::StoreOptions options, TodayFn today) {
  options.column_families = {"groups", "disruptions", "aggregates"};
  ASSIGN_OR_RETURN(auto s, store::Store::Open(options));
  if (!today) today = SystemToday;
  return std::unique_ptr<SocStore>(
      new SocStore(std::move(s), std::move(today)));
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
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kGroups), key, bytes);
  wb.Put(store_->Handle(kAggregates),
         GroupStateKey(group.force(), group.group_id()),
         state.SerializeAsString());
  RETURN_IF_ERROR(store_->Write(&wb));
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
  ASSIGN_OR_RETURN(auto state_bytes, store_->Get(kAggregates, state_key));
  v1::storage::GroupState state;
  if (state_bytes.has_value()) {
    ASSIGN_OR_RETURN(state, ParseStored<v1::storage::GroupState>(
                                *state_bytes, "group state"));
  }
  SetGroupFields(group, &state);
  rocksdb::WriteBatch wb;
  wb.Put(store_->Handle(kGroups), GroupKey(group.group_id()),
         ingest::CanonicalBytes(group));
  wb.Put(store_->Handle(kAggregates), state_key, state.SerializeAsString());
  RETURN_IF_ERROR(store_->Write(&wb));
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

absl::StatusOr<BatchAck> SocStore::ApplyDisruptions(
    const v1::DisruptionBatch& batch) {
  const int n = batch.disruptions_size();
  RETURN_IF_ERROR(ingest::CheckBatchSize(n, "disruptions"));
  const int32_t today = today_();

  // 1. Each record's own fields.
  BatchPlan plan(batch.sequence(), n);
  std::vector<int32_t> days(static_cast<size_t>(n), 0);
  std::vector<int> valid;
  valid.reserve(static_cast<size_t>(n));
  absl::flat_hash_map<absl::string_view, int> group_slot;
  std::vector<std::string> group_keys;
  for (int i = 0; i < n; ++i) {
    const v1::Disruption& d = batch.disruptions(i);
    FieldViolations v(absl::StrCat("disruptions[", i, "]."));
    ValidateDisruption(d, today, &v, &days[static_cast<size_t>(i)]);
    if (!v.empty()) {
      plan.Reject(i, d.disruption_id(), v);
      continue;
    }
    valid.push_back(i);
    if (!d.group_id().empty() &&
        group_slot.emplace(d.group_id(), static_cast<int>(group_keys.size()))
            .second) {
      group_keys.push_back(GroupKey(d.group_id()));
    }
  }

  // 2. The groups they name: registered, and to the same force. (A group's
  // force never changes, so reading outside the writer lock is safe.)
  std::vector<std::string> group_force(group_keys.size());
  std::vector<bool> group_known(group_keys.size(), false);
  if (!group_keys.empty()) {
    ASSIGN_OR_RETURN(auto groups, store_->MultiGet(kGroups, group_keys));
    for (size_t g = 0; g < groups.size(); ++g) {
      if (!groups[g].has_value()) continue;
      ASSIGN_OR_RETURN(auto group, ParseStored<v1::OrganisedCrimeGroup>(
                                       *groups[g], "group"));
      group_known[g] = true;
      group_force[g] = group.force();
    }
  }
  for (int i : valid) {
    const v1::Disruption& d = batch.disruptions(i);
    if (!d.group_id().empty()) {
      const size_t g = static_cast<size_t>(group_slot.at(d.group_id()));
      FieldViolations v(absl::StrCat("disruptions[", i, "]."));
      if (!group_known[g]) {
        v.Add("group_id",
              absl::StrCat("no group '", d.group_id(), "' is registered"));
      } else if (group_force[g] != d.force()) {
        v.Add("group_id",
              absl::StrCat("group ", d.group_id(), " is registered to ",
                           group_force[g], ", not ", d.force()));
      }
      if (!v.empty()) {
        plan.Reject(i, d.disruption_id(), v);
        continue;
      }
    }
    plan.Propose(i, d.disruption_id(), DisruptionKey(d.disruption_id()),
                 ingest::CanonicalBytes(d));
  }

  // 3. Under the writer lock: which are new, then records and aggregates in
  // one WriteBatch.
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kDisruptions));
  if (fresh.empty()) return plan.TakeAck();

  rocksdb::WriteBatch wb;
  absl::flat_hash_map<std::string, Counts> months;      // by MonthKey
  absl::flat_hash_map<std::string, Counts> operations;  // by OperationKey
  absl::flat_hash_map<std::string, GroupDelta> groups;  // by group id
  for (int p : fresh) {
    const int i = plan.record_index(p);
    const v1::Disruption& d = batch.disruptions(i);
    const int32_t day = days[static_cast<size_t>(i)];
    const ingest::Candidate& c = plan.proposals()[static_cast<size_t>(p)];
    wb.Put(store_->Handle(kDisruptions), c.key, c.value);
    const int32_t month = MonthOfDay(day);
    months[MonthKey(d.force(), month)].Add(d, day);
    if (!d.operation().empty()) {
      operations[OperationKey(d.force(), d.operation())].Add(d, day);
    }
    if (!d.group_id().empty()) {
      wb.Put(store_->Handle(kDisruptions),
             HistoryKey(d.group_id(), day, d.disruption_id()), c.value);
      GroupDelta& g = groups[d.group_id()];
      g.force = d.force();
      g.months.insert(month);
      ++g.disruptions;
    }
  }

  // Counts aggregates: read, add, write back.
  for (auto* map : {&months, &operations}) {
    std::vector<std::string> keys;
    keys.reserve(map->size());
    for (const auto& [k, counts] : *map) keys.push_back(k);
    ASSIGN_OR_RETURN(auto stored, store_->MultiGet(kAggregates, keys));
    for (size_t k = 0; k < keys.size(); ++k) {
      Counts total;
      if (stored[k].has_value()) {
        ASSIGN_OR_RETURN(auto t, ParseStored<v1::storage::DisruptionTally>(
                                     *stored[k], "tally"));
        total = Counts::FromTally(t);
      }
      total.Merge(map->at(keys[k]));
      wb.Put(store_->Handle(kAggregates), keys[k],
             total.ToTally().SerializeAsString());
    }
  }

  // Group states: the months with a disruption, and the count.
  if (!groups.empty()) {
    std::vector<std::string> keys;
    std::vector<const GroupDelta*> deltas;
    for (const auto& [id, delta] : groups) {
      keys.push_back(GroupStateKey(delta.force, id));
      deltas.push_back(&delta);
    }
    ASSIGN_OR_RETURN(auto stored, store_->MultiGet(kAggregates, keys));
    for (size_t k = 0; k < keys.size(); ++k) {
      v1::storage::GroupState state;
      if (stored[k].has_value()) {
        ASSIGN_OR_RETURN(state, ParseStored<v1::storage::GroupState>(
                                    *stored[k], "group state"));
      }
      absl::btree_set<int32_t> all(state.months().begin(),
                                   state.months().end());
      all.insert(deltas[k]->months.begin(), deltas[k]->months.end());
      state.clear_months();
      for (int32_t m : all) state.add_months(m);
      state.set_disruptions(state.disruptions() + deltas[k]->disruptions);
      wb.Put(store_->Handle(kAggregates), keys[k], state.SerializeAsString());
    }
  }

  RETURN_IF_ERROR(store_->Write(&wb));
  plan.Accepted(fresh);
  return plan.TakeAck();
}

absl::StatusOr<Counts> SocStore::SumMonths(absl::string_view force,
                                           int32_t first_month,
                                           int months) const {
  Counts total;
  absl::Status parse;
  RETURN_IF_ERROR(store_->Scan(
      kAggregates, MonthKey(force, first_month),
      MonthKey(force, first_month + months),
      [&](absl::string_view, absl::string_view value) {
        auto t = ParseStored<v1::storage::DisruptionTally>(value, "tally");
        if (!t.ok()) {
          parse = t.status();
          return false;
        }
        total.Merge(Counts::FromTally(*t));
        return true;
      }));
  RETURN_IF_ERROR(parse);
  return total;
}

absl::Status SocStore::VisitGroupStates(
    absl::string_view force,
    const std::function<void(absl::string_view,
                             const v1::storage::GroupState&)>& visit) const {
  absl::Status parse;
  v1::storage::GroupState state;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAggregates, KeyBuilder('F').Id(force).Take(),
      [&](absl::string_view key, absl::string_view value) {
        store::KeyReader r(key);
        char tag;
        absl::string_view f, id;
        if (!r.Tag(&tag) || !r.Id(&f) || !r.Id(&id) ||
            !state.ParseFromArray(value.data(),
                                  static_cast<int>(value.size()))) {
          parse = absl::DataLossError("cannot parse stored group state");
          return false;
        }
        visit(id, state);
        return true;
      }));
  return parse;
}

absl::StatusOr<Counts> SocStore::OperationCounts(
    absl::string_view force, absl::string_view operation) const {
  ASSIGN_OR_RETURN(auto bytes,
                   store_->Get(kAggregates, OperationKey(force, operation)));
  if (!bytes.has_value()) {
    return absl::NotFoundError(absl::StrCat("operation: no disruption of ",
                                            force, " names operation '",
                                            operation, "'"));
  }
  ASSIGN_OR_RETURN(auto t,
                   ParseStored<v1::storage::DisruptionTally>(*bytes, "tally"));
  return Counts::FromTally(t);
}

absl::StatusOr<std::vector<v1::Disruption>> SocStore::GroupHistory(
    absl::string_view group_id) const {
  ASSIGN_OR_RETURN(auto group, GetGroup(group_id));
  (void)group;
  std::vector<v1::Disruption> out;
  absl::Status parse;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kDisruptions, KeyBuilder('H').Id(group_id).Take(),
      [&](absl::string_view, absl::string_view value) {
        auto d = ParseStored<v1::Disruption>(value, "disruption");
        if (!d.ok()) {
          parse = d.status();
          return false;
        }
        out.push_back(std::move(*d));
        return true;
      }));
  RETURN_IF_ERROR(parse);
  return out;
}

}  // namespace peel::soc
