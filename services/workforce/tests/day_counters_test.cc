// The in-memory counter mirror against a brute-force sum over the same
// points, across span boundaries (512 days) and dates before 1970.
#include "services/workforce/day_counters.h"

#include <random>

#include "gtest/gtest.h"

namespace peel::workforce {
namespace {

CounterSums BruteForce(const std::vector<Point>& points, int32_t day) {
  CounterSums s;
  for (const Point& p : points) {
    if (p.day > day) continue;
    s[p.cell].count += p.count;
    s[p.cell].fte_e4 += p.fte_e4;
  }
  // Drop zero entries, as the mirror does.
  CounterSums out;
  for (const auto& [cell, sum] : s) {
    if (sum.count != 0 || sum.fte_e4 != 0) out[cell] = sum;
  }
  return out;
}

CounterSums NonZero(const CounterSums& s) {
  CounterSums out;
  for (const auto& [cell, sum] : s) {
    if (sum.count != 0 || sum.fte_e4 != 0) out[cell] = sum;
  }
  return out;
}

void ExpectEqual(const CounterSums& a, const CounterSums& b, int32_t day) {
  ASSERT_EQ(a.size(), b.size()) << "day " << day;
  for (const auto& [cell, sum] : a) {
    auto it = b.find(cell);
    ASSERT_NE(it, b.end()) << "day " << day << " cell " << cell;
    EXPECT_EQ(sum.count, it->second.count) << "day " << day;
    EXPECT_EQ(sum.fte_e4, it->second.fte_e4) << "day " << day;
  }
}

TEST(WorkforceDayCounters, PrefixSumsMatchBruteForceAcrossSpans) {
  std::mt19937 rng(42);
  std::vector<Point> all;
  DayCounters counters;
  for (int batch = 0; batch < 20; ++batch) {
    absl::flat_hash_map<std::string, std::vector<Point>> by_force;
    for (int i = 0; i < 500; ++i) {
      const int32_t day = static_cast<int32_t>(rng() % 4000) - 2000;
      const uint32_t cell = Cell(Series::kHeadRank, 1 + rng() % 2, rng() % 3);
      const Point p{day, cell, static_cast<int64_t>(rng() % 5) - 2,
                    static_cast<int64_t>(rng() % 7) - 3};
      by_force["kent"].push_back(p);
      all.push_back(p);
      by_force["essex"].push_back({day, cell, 1, 0});
    }
    counters.Install(DayCounters::Merge(by_force));
  }
  for (int32_t day :
       {-5000, -2001, -2000, -1537, -1536, -1025, -1024, -1023, -513,
        -512,  -511,  -65,   -64,   -1,    0,     1,     63,    64,
        511,   512,   513,   1023,  1024,  1999,  2000,  5000}) {
    ExpectEqual(NonZero(counters.SumTo("kent", day)), BruteForce(all, day),
                day);
  }
  const auto both = counters.SumToBoth("kent", 512, -513);
  ExpectEqual(NonZero(both.first), BruteForce(all, 512), 512);
  ExpectEqual(NonZero(both.second), BruteForce(all, -513), -513);
  EXPECT_TRUE(counters.SumTo("atlantis", 0).empty());
}

TEST(WorkforceDayCounters, DirtyRowsAreTheChangedDaysCurrentContent) {
  DayCounters counters;
  const uint32_t cell = Cell(Series::kJoin, 1);
  counters.Load("kent", 10, {CellSum{cell, Sum{3, 0}}});
  absl::flat_hash_map<std::string, std::vector<Point>> by_force;
  by_force["kent"] = {{10, cell, -3, 0}, {20, cell, 2, 0}};
  counters.Install(DayCounters::Merge(by_force));
  const auto dirty = counters.DirtyRows();
  ASSERT_EQ(dirty.size(), 2u);
  EXPECT_EQ(dirty[0].day, 10);
  EXPECT_TRUE(dirty[0].row.empty());  // back to zero: the row is deleted
  EXPECT_EQ(dirty[1].day, 20);
  ASSERT_EQ(dirty[1].row.size(), 1u);
  EXPECT_EQ(dirty[1].row[0].sum.count, 2);
  counters.ClearDirty();
  EXPECT_TRUE(counters.DirtyRows().empty());
  EXPECT_EQ(counters.SumTo("kent", 30).at(cell).count, 2);
}

}  // namespace
}  // namespace peel::workforce
