// Unit tests of the pure parts: month arithmetic, tallies, group counting and
// the summary's figures, checked against values worked out by hand.
#include "services/soc-disruptions/summary.h"

#include "common/util/dates.h"
#include "gtest/gtest.h"
#include "services/soc-disruptions/tally.h"
#include "services/soc-disruptions/validate.h"

namespace peel::soc {
namespace {

int32_t Day(const char* iso) { return *dates::ParseIsoDate(iso); }

TEST(SocMonths, MonthIndexesRoundTrip) {
  EXPECT_EQ(MonthOfDay(Day("2021-07-01")), 2021 * 12 + 6);
  EXPECT_EQ(MonthOfDay(Day("2021-07-31")), 2021 * 12 + 6);
  EXPECT_EQ(MonthOfDay(Day("2022-01-01")), 2022 * 12);
  EXPECT_EQ(FirstDayOfMonth(2022 * 12 + 1), Day("2022-02-01"));
  EXPECT_EQ(LastDayOfMonth(2020 * 12 + 1), Day("2020-02-29"));
  EXPECT_EQ(LastDayOfMonth(2021 * 12 + 11), Day("2021-12-31"));
  const auto p = PeriodOfMonths(2021 * 12 + 6, 12);
  EXPECT_EQ(p.start_date(), "2021-07-01");
  EXPECT_EQ(p.end_date(), "2022-06-30");
}

TEST(SocMonths, TwelveMonthPeriodMustStartOnTheFirst) {
  peel::common::v1::Period p;
  p.set_start_date("2021-07-01");
  p.set_end_date("2022-06-30");
  validation::FieldViolations v;
  int32_t first = 0;
  EXPECT_TRUE(CheckTwelveMonths("period", p, &v, &first));
  EXPECT_EQ(first, 2021 * 12 + 6);
  p.set_start_date("2021-07-15");
  p.set_end_date("2022-07-14");
  EXPECT_FALSE(CheckTwelveMonths("period", p, &v, &first));
  ASSERT_EQ(v.violations().size(), 1u);
  EXPECT_EQ(v.violations()[0].field, "period.start_date");
}

v1::Disruption Make(v1::Pillar p, v1::Magnitude m, v1::Tactic t,
                    const char* group) {
  v1::Disruption d;
  d.set_pillar(p);
  d.set_magnitude(m);
  d.set_tactic(t);
  d.set_group_id(group);
  return d;
}

TEST(SocCounts, AddMergeAndTallyRoundTrip) {
  Counts a, b;
  v1::Disruption d = Make(v1::PURSUE, v1::MAJOR, v1::SEIZURE, "g1");
  d.mutable_seizures()->set_cash_pence(500);
  d.mutable_seizures()->set_firearms(2);
  d.set_arrests(3);
  a.Add(d, Day("2021-08-02"));
  a.Add(Make(v1::PREVENT, v1::MINOR, v1::ENGAGEMENT, ""), Day("2021-08-01"));
  b.Add(Make(v1::PREVENT, v1::NEGATIVE, v1::ORDER, ""), Day("2022-01-05"));
  a.Merge(b);
  a.Merge(Counts());  // empty: changes nothing, not even the dates
  EXPECT_EQ(a.disruptions, 3);
  EXPECT_EQ(a.by_pillar[v1::PURSUE], 1);
  EXPECT_EQ(a.by_pillar[v1::PREVENT], 2);
  EXPECT_EQ(a.by_magnitude[v1::NEGATIVE], 1);
  EXPECT_EQ(a.by_tactic[v1::SEIZURE], 1);
  EXPECT_EQ(a.cash_pence, 500);
  EXPECT_EQ(a.firearms, 2);
  EXPECT_EQ(a.arrests, 3);
  EXPECT_EQ(a.against_individuals, 2);
  EXPECT_EQ(a.first_day, Day("2021-08-01"));
  EXPECT_EQ(a.last_day, Day("2022-01-05"));
  const Counts back = Counts::FromTally(a.ToTally());
  EXPECT_EQ(back.ToTally().SerializeAsString(),
            a.ToTally().SerializeAsString());
  EXPECT_EQ(back.by_pillar, a.by_pillar);
}

v1::storage::GroupState State(bool plan, const char* from, const char* archived,
                              std::vector<int32_t> months) {
  v1::storage::GroupState s;
  s.set_has_4p_plan(plan);
  s.set_active_from_day(Day(from));
  if (archived != nullptr) {
    s.set_archived(true);
    s.set_archived_day(Day(archived));
  }
  for (int32_t m : months) s.add_months(m);
  return s;
}

TEST(SocGroups, ActiveAtEndAndWithoutDisruption) {
  const int32_t first = 2021 * 12 + 6;  // July 2021 .. June 2022
  GroupCounts c;
  // Active throughout, plan, disrupted in June 2022 (the last month).
  CountGroup("a", State(true, "2018-01-01", nullptr, {first + 11}), first, &c);
  // Active throughout, no plan, disrupted only in June 2021 (before).
  CountGroup("b", State(false, "2018-01-01", nullptr, {first - 1}), first, &c);
  // Archived mid-period: active in it, not at its end; disrupted in it.
  CountGroup("c", State(true, "2018-01-01", "2021-12-31", {first + 2}), first,
             &c);
  // Archived before the period: neither.
  CountGroup("d", State(true, "2018-01-01", "2021-06-30", {}), first, &c);
  // Mapped after the period: neither.
  CountGroup("e", State(true, "2022-07-01", nullptr, {}), first, &c);
  // Archived on the period's last day: no longer active at its end.
  CountGroup("f", State(false, "2018-01-01", "2022-06-30", {first + 13}), first,
             &c);
  EXPECT_EQ(c.active_at_end, 2);       // a, b
  EXPECT_EQ(c.with_4p_plan, 1);        // a
  EXPECT_EQ(c.active_in_period, 4);    // a, b, c, f
  EXPECT_EQ(c.without_disruption, 2);  // b, f
  EXPECT_EQ(c.without_disruption_ids, (std::vector<std::string>{"b", "f"}));
}

TEST(SocSummary, SharesChangeAndRatePerThousand) {
  Counts current, previous;
  for (int i = 0; i < 78; ++i) {
    current.Add(Make(v1::PURSUE, v1::MINOR, v1::ARREST, "g"),
                Day("2021-09-01"));
  }
  for (int i = 0; i < 10; ++i) {
    current.Add(Make(v1::PROTECT, v1::MAJOR, v1::SAFEGUARDING, ""),
                Day("2021-09-01"));
  }
  for (int i = 0; i < 7; ++i) {
    current.Add(Make(v1::PREVENT, v1::MINOR, v1::ENGAGEMENT, "g"),
                Day("2021-09-01"));
  }
  for (int i = 0; i < 5; ++i) {
    current.Add(Make(v1::PREPARE, v1::NO_IMPACT, v1::OTHER_TACTIC, "g"),
                Day("2021-09-01"));
  }
  for (int i = 0; i < 80; ++i) {
    previous.Add(Make(v1::PURSUE, v1::MINOR, v1::ARREST, "g"),
                 Day("2021-01-01"));
  }
  GroupCounts groups;
  groups.active_at_end = 8;
  groups.with_4p_plan = 3;
  const auto s = ComputeDisruptionSummary("kent", 1000000, 2021 * 12 + 6,
                                          current, previous, groups);
  EXPECT_EQ(s.disruptions(), 100);
  EXPECT_EQ(s.change().previous(), 80);
  EXPECT_EQ(s.change().difference(), 20);
  EXPECT_DOUBLE_EQ(s.change().relative(), 0.25);
  ASSERT_EQ(s.by_pillar_size(), 4);
  EXPECT_DOUBLE_EQ(s.by_pillar(0).share().value(), 0.78);  // pursue
  EXPECT_EQ(s.by_pillar(1).pillar(), v1::PREVENT);
  EXPECT_DOUBLE_EQ(s.by_pillar(1).share().value(), 0.07);
  EXPECT_DOUBLE_EQ(s.by_pillar(2).share().value(), 0.10);        // protect
  EXPECT_DOUBLE_EQ(s.by_pillar(3).share().value(), 0.05);        // prepare
  EXPECT_EQ(s.by_magnitude(0).share().ratio().numerator(), 10);  // major
  EXPECT_EQ(s.by_magnitude(2).share().ratio().numerator(), 85);  // minor
  EXPECT_DOUBLE_EQ(s.per_1000_population().value(), 0.1);  // 100 / 1m × 1000
  EXPECT_EQ(s.per_1000_population().ratio().denominator(), 1000000);
  EXPECT_DOUBLE_EQ(s.groups_with_4p_plan().value(), 0.375);
  EXPECT_EQ(s.against_individuals(), 10);
  ASSERT_EQ(s.by_tactic_size(), 4);
  EXPECT_EQ(s.by_tactic(0).tactic(), v1::ARREST);
  EXPECT_EQ(s.by_tactic(0).count(), 78);
  EXPECT_EQ(s.provenance().period().end_date(), "2022-06-30");
  EXPECT_EQ(s.provenance().service(), kServiceName);
}

TEST(SocNational, SkipsForcesWithoutDisruptionsAndNeedsThree) {
  std::vector<ForceYear> forces(4);
  const char* names[] = {"a", "b", "c", "d"};
  const int counts[] = {10, 20, 0, 40};
  for (int i = 0; i < 4; ++i) {
    forces[i].force = names[i];
    forces[i].population = 10000;
    for (int k = 0; k < counts[i]; ++k) {
      forces[i].counts.Add(Make(v1::PURSUE, v1::MINOR, v1::ARREST, ""),
                           Day("2021-09-01"));
    }
  }
  auto n = ComputeNationalDisruptions(2021 * 12 + 6, forces);
  ASSERT_EQ(n.forces_size(), 3);
  EXPECT_EQ(n.forces(2).force(), "d");
  EXPECT_DOUBLE_EQ(n.forces(2).per_1000_population().value(), 4.0);
  ASSERT_TRUE(n.compared()) << n.comparison_note();
  forces.resize(2);
  n = ComputeNationalDisruptions(2021 * 12 + 6, forces);
  EXPECT_FALSE(n.compared());
  EXPECT_FALSE(n.comparison_note().empty());
}

}  // namespace
}  // namespace peel::soc
