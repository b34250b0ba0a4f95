#include "services/soc-disruptions/summary.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/stats/national_comparison.h"
#include "common/util/dates.h"
#include "services/soc-disruptions/validate.h"

namespace peel::soc {

using peel::common::v1::Estimate;
using peel::common::v1::Period;

namespace {

Estimate Share(int64_t part, int64_t whole) {
  Estimate e;
  e.set_value(whole > 0 ? static_cast<double>(part) / whole : 0.0);
  e.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  e.mutable_ratio()->set_numerator(part);
  e.mutable_ratio()->set_denominator(whole);
  e.set_sample_size(whole);
  return e;
}

Estimate Per1000(int64_t count, int64_t population) {
  Estimate e;
  e.set_value(population > 0 ? count * 1000.0 / population : 0.0);
  e.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  e.mutable_ratio()->set_numerator(count);
  e.mutable_ratio()->set_denominator(population);
  return e;
}

void SetProvenance(absl::string_view force, const Period& period,
                   absl::string_view method, Estimate* e) {
  auto* p = e->mutable_provenance();
  p->set_service(kServiceName);
  p->set_dataset("disruptions");
  p->set_force(std::string(force));
  *p->mutable_period() = period;
  p->set_method(std::string(method));
}

void AddPillars(const Counts& c, absl::string_view force, const Period& period,
                google::protobuf::RepeatedPtrField<v1::PillarCount>* out) {
  for (int p = v1::PURSUE; p <= v1::PREPARE; ++p) {
    auto* pc = out->Add();
    pc->set_pillar(static_cast<v1::Pillar>(p));
    *pc->mutable_share() = Share(c.by_pillar[p], c.disruptions);
    SetProvenance(force, period,
                  "disruptions tagged with the pillar, of all disruptions",
                  pc->mutable_share());
  }
}

v1::Seizures SeizuresOf(const Counts& c) {
  v1::Seizures s;
  s.set_cash_pence(c.cash_pence);
  s.set_drugs_grams(c.drugs_grams);
  s.set_firearms(c.firearms);
  s.set_vehicles(c.vehicles);
  return s;
}

bool HasMonthIn(const v1::storage::GroupState& s, int32_t first, int32_t last) {
  auto it = std::lower_bound(s.months().begin(), s.months().end(), first);
  return it != s.months().end() && *it <= last;
}

}  // namespace

Period PeriodOfMonths(int32_t first_month, int months) {
  Period p;
  p.set_start_date(dates::FormatIsoDate(FirstDayOfMonth(first_month)));
  p.set_end_date(
      dates::FormatIsoDate(LastDayOfMonth(first_month + months - 1)));
  return p;
}

void CountGroup(absl::string_view group_id, const v1::storage::GroupState& s,
                int32_t first_month, GroupCounts* counts) {
  const int32_t start = FirstDayOfMonth(first_month);
  const int32_t end = LastDayOfMonth(first_month + 11);
  if (s.active_from_day() > end) return;  // mapped after the period
  if (!s.archived() || s.archived_day() > end) {
    ++counts->active_at_end;
    if (s.has_4p_plan()) ++counts->with_4p_plan;
  }
  if (s.archived() && s.archived_day() < start) return;
  ++counts->active_in_period;
  if (!HasMonthIn(s, first_month, first_month + 11)) {
    ++counts->without_disruption;
    if (counts->without_disruption_ids.size() < kMaxListedGroups) {
      counts->without_disruption_ids.emplace_back(group_id);
    }
  }
}

v1::DisruptionSummary ComputeDisruptionSummary(
    absl::string_view force, int64_t population, int32_t first_month,
    const Counts& current, const Counts& previous, const GroupCounts& groups) {
  v1::DisruptionSummary s;
  const Period period = PeriodOfMonths(first_month, 12);
  s.set_force(std::string(force));
  *s.mutable_period() = period;
  s.set_disruptions(current.disruptions);

  auto* change = s.mutable_change();
  change->set_previous(previous.disruptions);
  change->set_difference(current.disruptions - previous.disruptions);
  change->set_relative_known(previous.disruptions > 0);
  if (previous.disruptions > 0) {
    change->set_relative(
        static_cast<double>(current.disruptions - previous.disruptions) /
        previous.disruptions);
  }
  *change->mutable_previous_period() = PeriodOfMonths(first_month - 12, 12);

  AddPillars(current, force, period, s.mutable_by_pillar());
  for (int m = v1::MAJOR; m <= v1::NEGATIVE; ++m) {
    auto* mc = s.add_by_magnitude();
    mc->set_magnitude(static_cast<v1::Magnitude>(m));
    *mc->mutable_share() = Share(current.by_magnitude[m], current.disruptions);
    SetProvenance(force, period,
                  "disruptions of the magnitude, of all disruptions",
                  mc->mutable_share());
  }
  for (int t = v1::ARREST; t < v1::Tactic_ARRAYSIZE; ++t) {
    if (current.by_tactic[t] == 0) continue;
    auto* tc = s.add_by_tactic();
    tc->set_tactic(static_cast<v1::Tactic>(t));
    tc->set_count(current.by_tactic[t]);
  }
  *s.mutable_per_1000_population() = Per1000(current.disruptions, population);
  SetProvenance(force, period,
                "disruptions × 1000 / ONS mid-2020 population of the force "
                "area",
                s.mutable_per_1000_population());
  *s.mutable_seizures() = SeizuresOf(current);
  s.set_deal_lines_closed(current.deal_lines_closed);
  s.set_arrests(current.arrests);
  s.set_charges(current.charges);
  s.set_people_safeguarded(current.people_safeguarded);
  s.set_against_individuals(current.against_individuals);

  *s.mutable_groups_with_4p_plan() =
      Share(groups.with_4p_plan, groups.active_at_end);
  SetProvenance(force, period,
                "groups active on the period's last day with a 4P plan, of "
                "groups active then (current plan status)",
                s.mutable_groups_with_4p_plan());
  s.set_groups_active_in_period(groups.active_in_period);
  s.set_groups_without_disruption(groups.without_disruption);
  for (const auto& id : groups.without_disruption_ids) {
    s.add_groups_without_disruption_ids(id);
  }

  auto* p = s.mutable_provenance();
  p->set_service(kServiceName);
  p->set_dataset("disruptions");
  p->set_force(std::string(force));
  *p->mutable_period() = period;
  p->set_method(
      "sums of per-force per-month disruption tallies maintained at ingest");
  return s;
}

v1::OperationSummary ComputeOperationSummary(absl::string_view force,
                                             absl::string_view operation,
                                             const Counts& c) {
  v1::OperationSummary s;
  s.set_force(std::string(force));
  s.set_operation(std::string(operation));
  s.set_disruptions(c.disruptions);
  if (c.disruptions > 0) {
    s.set_first_date(dates::FormatIsoDate(c.first_day));
    s.set_last_date(dates::FormatIsoDate(c.last_day));
  }
  *s.mutable_seizures() = SeizuresOf(c);
  s.set_deal_lines_closed(c.deal_lines_closed);
  s.set_arrests(c.arrests);
  s.set_charges(c.charges);
  s.set_people_safeguarded(c.people_safeguarded);
  auto* p = s.mutable_provenance();
  p->set_service(kServiceName);
  p->set_dataset(absl::StrCat("operation:", operation));
  p->set_force(std::string(force));
  if (c.disruptions > 0) {
    p->mutable_period()->set_start_date(s.first_date());
    p->mutable_period()->set_end_date(s.last_date());
  }
  p->set_method("totals over every disruption naming the operation");
  return s;
}

v1::NationalDisruptions ComputeNationalDisruptions(
    int32_t first_month, const std::vector<ForceYear>& forces) {
  v1::NationalDisruptions out;
  const Period period = PeriodOfMonths(first_month, 12);
  *out.mutable_period() = period;
  std::vector<stats::ForceValue> values;
  for (const auto& f : forces) {
    if (f.counts.disruptions == 0 || f.population <= 0) continue;
    auto* fd = out.add_forces();
    fd->set_force(f.force);
    fd->set_disruptions(f.counts.disruptions);
    *fd->mutable_per_1000_population() =
        Per1000(f.counts.disruptions, f.population);
    SetProvenance(f.force, period,
                  "disruptions × 1000 / ONS mid-2020 population",
                  fd->mutable_per_1000_population());
    AddPillars(f.counts, f.force, period, fd->mutable_by_pillar());
    values.push_back({f.force, fd->per_1000_population().value()});
  }
  if (values.size() < 3) {
    out.set_comparison_note(
        "fewer than 3 forces with disruptions: no national comparison");
    return out;
  }
  auto cmp = stats::CompareNationally(values, /*higher_is_better=*/true);
  if (!cmp.ok()) {
    out.set_comparison_note(std::string(cmp.status().message()));
    return out;
  }
  out.set_compared(true);
  out.set_log_space(cmp->space == stats::ComparisonSpace::kLog);
  out.set_mean(cmp->mean_value);
  out.set_lower(cmp->lower);
  out.set_upper(cmp->upper);
  for (size_t i = 0; i < cmp->forces.size(); ++i) {
    auto* fd = out.mutable_forces(static_cast<int>(i));
    fd->set_z(cmp->forces[i].z);
    fd->set_position(std::string(stats::PositionName(cmp->forces[i].position)));
  }
  return out;
}

}  // namespace peel::soc
