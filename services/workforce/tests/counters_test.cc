// Unit tests of the per-person contribution to the day counters: checked by
// summing the points as at chosen days, against hand-counted values.
#include "services/workforce/counters.h"

#include "common/util/dates.h"
#include "gtest/gtest.h"

namespace peel::workforce {
namespace {

int32_t D(const char* iso) { return *dates::ParseIsoDate(iso); }

v1::PersonRecord Officer(v1::Rank rank, const char* joined) {
  v1::PersonRecord r;
  r.set_force("metropolitan");
  r.set_person_id("0123456789abcdef");
  r.set_worker_type(v1::POLICE_OFFICER);
  r.set_rank(rank);
  r.set_sex(v1::FEMALE);
  r.set_ethnic_group(v1::BLACK);
  r.set_fte(0.5);
  r.set_date_joined(joined);
  r.set_effective_date(joined);
  return r;
}

// Sum of the points on or before `day`.
CounterSums At(const std::vector<Point>& points, int32_t day) {
  CounterSums s;
  for (const Point& p : points) {
    if (p.day > day) continue;
    s[p.cell].count += p.count;
    s[p.cell].fte_e4 += p.fte_e4;
  }
  return s;
}

int64_t Count(const CounterSums& s, uint32_t cell) {
  auto it = s.find(cell);
  return it == s.end() ? 0 : it->second.count;
}

const uint32_t kConstables =
    Cell(Series::kHeadRank, v1::POLICE_OFFICER, v1::CONSTABLE);
const uint32_t kSergeants =
    Cell(Series::kHeadRank, v1::POLICE_OFFICER, v1::SERGEANT);

TEST(WorkforceContribution, CountedOnlyWhileInPost) {
  v1::storage::PersonState s;
  v1::PersonRecord r = Officer(v1::CONSTABLE, "2020-01-10");
  r.set_date_left("2021-05-01");
  r.set_leaver_type(v1::VOLUNTARY_RESIGNATION);
  *s.add_versions() = r;
  const auto points = Contribution(s);
  EXPECT_EQ(Count(At(points, D("2020-01-09")), kConstables), 0);
  EXPECT_EQ(Count(At(points, D("2020-01-10")), kConstables), 1);
  EXPECT_EQ(At(points, D("2020-01-10"))[kConstables].fte_e4, 5000);
  EXPECT_EQ(Count(At(points, D("2021-04-30")), kConstables), 1);
  // Left on 1 May: not in the headcount as at 1 May, a leaver that day.
  const auto after = At(points, D("2021-05-01"));
  EXPECT_EQ(Count(after, kConstables), 0);
  EXPECT_EQ(after.at(kConstables).fte_e4, 0);
  EXPECT_EQ(Count(after, Cell(Series::kJoin, v1::POLICE_OFFICER)), 1);
  EXPECT_EQ(Count(after, Cell(Series::kLeave, v1::POLICE_OFFICER,
                              v1::VOLUNTARY_RESIGNATION)),
            1);
  EXPECT_EQ(Count(At(points, D("2021-04-30")),
                  Cell(Series::kLeave, v1::POLICE_OFFICER,
                       v1::VOLUNTARY_RESIGNATION)),
            0);
}

TEST(WorkforceContribution, RankChangeMovesFromItsEffectiveDate) {
  v1::storage::PersonState s;
  *s.add_versions() = Officer(v1::CONSTABLE, "2015-03-01");
  v1::PersonRecord promoted = Officer(v1::SERGEANT, "2015-03-01");
  promoted.set_effective_date("2019-07-01");
  *s.add_versions() = promoted;
  const auto points = Contribution(s);
  const auto before = At(points, D("2019-06-30"));
  EXPECT_EQ(Count(before, kConstables), 1);
  EXPECT_EQ(Count(before, kSergeants), 0);
  const auto after = At(points, D("2019-07-01"));
  EXPECT_EQ(Count(after, kConstables), 0);
  EXPECT_EQ(Count(after, kSergeants), 1);
  // One person throughout: one join, one in each sex and ethnic count.
  EXPECT_EQ(Count(after, Cell(Series::kJoin, v1::POLICE_OFFICER)), 1);
  EXPECT_EQ(
      Count(after, Cell(Series::kHeadSex, v1::POLICE_OFFICER, v1::FEMALE)), 1);
}

TEST(WorkforceContribution, ServiceBandsEndAtTwoAndFiveYears) {
  v1::storage::PersonState s;
  *s.add_versions() = Officer(v1::CONSTABLE, "2018-04-01");
  const auto points = Contribution(s);
  const uint32_t under2 = Cell(Series::kUnder2Years, v1::POLICE_OFFICER);
  const uint32_t under5 = Cell(Series::kUnder5Years, v1::POLICE_OFFICER);
  EXPECT_EQ(Count(At(points, D("2020-03-31")), under2), 1);
  EXPECT_EQ(Count(At(points, D("2020-04-01")), under2), 0);
  EXPECT_EQ(Count(At(points, D("2023-03-31")), under5), 1);
  EXPECT_EQ(Count(At(points, D("2023-04-01")), under5), 0);
}

TEST(WorkforceContribution, ScreeningCoversSixMonths) {
  v1::storage::PersonState s;
  v1::PersonRecord r = Officer(v1::CONSTABLE, "2010-01-01");
  r.set_high_risk_role(true);
  *s.add_versions() = r;
  s.add_screening_days(D("2021-01-15"));
  const auto points = Contribution(s);
  const uint32_t high = Cell(Series::kHighRisk, v1::POLICE_OFFICER);
  const uint32_t c6 = Cell(Series::kCovered6, v1::POLICE_OFFICER);
  const uint32_t c18 = Cell(Series::kCovered18, v1::POLICE_OFFICER);
  // Joined 2010: the grace of a new role ended in July 2010.
  EXPECT_EQ(Count(At(points, D("2010-07-01")), c6), 1);
  EXPECT_EQ(Count(At(points, D("2010-07-02")), c6), 0);
  EXPECT_EQ(Count(At(points, D("2021-01-14")), c6), 0);
  EXPECT_EQ(Count(At(points, D("2021-07-15")), c6), 1);
  EXPECT_EQ(Count(At(points, D("2021-07-16")), c6), 0);
  EXPECT_EQ(Count(At(points, D("2022-07-15")), c18), 1);
  EXPECT_EQ(Count(At(points, D("2022-07-16")), c18), 0);
  EXPECT_EQ(Count(At(points, D("2022-07-16")), high), 1);
}

TEST(WorkforceDifference, ReplacingARecordChangesOnlyWhatDiffers) {
  v1::storage::PersonState a, b;
  *a.add_versions() = Officer(v1::CONSTABLE, "2015-03-01");
  v1::PersonRecord corrected = Officer(v1::CONSTABLE, "2015-03-01");
  corrected.set_sex(v1::MALE);
  *b.add_versions() = corrected;
  const auto diff = Difference(Contribution(a), Contribution(b));
  ASSERT_EQ(diff.size(), 2u);  // female −1, male +1 on the join day
  for (const Point& p : diff) EXPECT_EQ(p.day, D("2015-03-01"));
  EXPECT_TRUE(Difference(Contribution(a), Contribution(a)).empty());
}

}  // namespace
}  // namespace peel::workforce
