#include "common/stats/national_comparison.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace peel::stats {
namespace {

std::vector<ForceValue> Forces(const std::vector<double>& values) {
  std::vector<ForceValue> out;
  for (size_t i = 0; i < values.size(); ++i) {
    out.push_back({"Force " + std::to_string(i + 1), values[i]});
  }
  return out;
}

TEST(NationalComparisonTest, HandComputedRawExample) {
  // Values 2 4 4 4 5 5 7 9 (given in a shuffled order to check that the
  // output keeps the input order). By hand: mean = 40/8 = 5, sum of squared
  // deviations = 9+1+1+1+0+0+4+16 = 32, sample SD = sqrt(32/7) = 2.13809.
  // R shapiro.test: W = 0.91663383069215, p = 0.40314961126572 >= 0.05, so
  // the comparison stays on the raw scale and logs are not tried.
  const std::vector<double> values = {7, 4, 9, 5, 2, 4, 5, 4};
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces(values), /*higher_is_better=*/true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NEAR(c->raw.w, 0.91663383069215, 1e-10);
  EXPECT_NEAR(c->raw.p, 0.40314961126572, 1e-10);
  EXPECT_EQ(c->raw.n, 8);
  EXPECT_FALSE(c->log_tested);
  EXPECT_EQ(c->space, ComparisonSpace::kRaw);
  EXPECT_TRUE(c->higher_is_better);

  const double sd = std::sqrt(32.0 / 7.0);
  EXPECT_NEAR(c->mean, 5.0, 1e-12);
  EXPECT_NEAR(c->sd, sd, 1e-12);
  EXPECT_NEAR(c->mean_value, 5.0, 1e-12);
  EXPECT_NEAR(c->lower, 5.0 - sd, 1e-12);  // 2.86191
  EXPECT_NEAR(c->upper, 5.0 + sd, 1e-12);  // 7.13809

  ASSERT_EQ(c->forces.size(), values.size());
  // z = (x - 5) / 2.13809: 7 -> 0.935 (within), 9 -> 1.871 (above),
  // 2 -> -1.403 (below), 4 -> -0.468 and 5 -> 0 (within).
  const std::vector<Position> expected = {
      Position::kWithin, Position::kWithin,    Position::kWellAbove,
      Position::kWithin, Position::kWellBelow, Position::kWithin,
      Position::kWithin, Position::kWithin};
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(c->forces[i].force, "Force " + std::to_string(i + 1));
    EXPECT_EQ(c->forces[i].value, values[i]);
    EXPECT_NEAR(c->forces[i].z, (values[i] - 5.0) / sd, 1e-12);
    EXPECT_EQ(c->forces[i].position, expected[i]) << "i=" << i;
  }
  EXPECT_NEAR(c->forces[2].z, 1.870829, 1e-6);   // R: (9 - 5) / sd(x)
  EXPECT_NEAR(c->forces[4].z, -1.403122, 1e-6);  // R: (2 - 5) / sd(x)
}

TEST(NationalComparisonTest, BoundaryIsWithin) {
  // -1 0 1: mean 0, SD = sqrt(2/2) = 1 exactly, so z = -1, 0, 1; |z| > 1 is
  // required to be flagged, so all three are within.
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces({-1, 0, 1}), true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->sd, 1.0);
  EXPECT_EQ(c->forces[0].z, -1.0);
  EXPECT_EQ(c->forces[2].z, 1.0);
  for (const ForceComparison& f : c->forces) {
    EXPECT_EQ(f.position, Position::kWithin);
  }
}

TEST(NationalComparisonTest, RightSkewedPositiveSwitchesToLogs) {
  // exp(1), ..., exp(10). R shapiro.test: raw W = 0.587433816587736,
  // p = 3.9185490194502e-05 (< 0.05); logs 1..10: W = 0.970164611230665,
  // p = 0.892367307523919 -- larger W, so the log space is used.
  // In log space: mean = 5.5, SD = sqrt(82.5 / 9) = sqrt(55/6) = 3.02765;
  // lines exp(5.5 - 3.02765) = 11.8502580759184, exp(5.5) = 244.69193226422,
  // exp(5.5 + 3.02765) = 5052.56014945965; z_k = (k - 5.5) / 3.02765.
  std::vector<double> values;
  for (int k = 1; k <= 10; ++k) values.push_back(std::exp(k));
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces(values), /*higher_is_better=*/false);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NEAR(c->raw.w, 0.587433816587736, 1e-10);
  EXPECT_NEAR(c->raw.p / 3.9185490194502e-05, 1.0, 1e-8);
  EXPECT_TRUE(c->log_tested);
  EXPECT_NEAR(c->log.w, 0.970164611230665, 1e-10);
  EXPECT_NEAR(c->log.p, 0.892367307523919, 1e-10);
  EXPECT_EQ(c->space, ComparisonSpace::kLog);
  EXPECT_FALSE(c->higher_is_better);

  const double sd = std::sqrt(55.0 / 6.0);
  EXPECT_NEAR(c->mean, 5.5, 1e-12);
  EXPECT_NEAR(c->sd, sd, 1e-12);
  EXPECT_NEAR(c->mean_value, 244.69193226422, 1e-9);
  EXPECT_NEAR(c->lower, 11.8502580759184, 1e-10);
  EXPECT_NEAR(c->upper, 5052.56014945965, 1e-8);

  ASSERT_EQ(c->forces.size(), 10u);
  for (int k = 1; k <= 10; ++k) {
    const ForceComparison& f = c->forces[k - 1];
    EXPECT_EQ(f.value, std::exp(k));
    EXPECT_NEAR(f.z, (k - 5.5) / sd, 1e-12);
    // |z| = 1.486, 1.156 for k = 1, 2 and 10, 9; at most 0.826 otherwise.
    // Lower values here are better (higher_is_better = false) but the flag
    // words still say above/below.
    const Position want = k <= 2   ? Position::kWellBelow
                          : k >= 9 ? Position::kWellAbove
                                   : Position::kWithin;
    EXPECT_EQ(f.position, want) << "k=" << k;
  }
}

TEST(NationalComparisonTest, NormalishStaysRaw) {
  // 43 integer values, R: i <- 1:43; (i*17) %% 43 + (i*29) %% 41 + (i*i) %%
  // 37; shapiro.test: W = 0.970748233277111, p = 0.335421064349838.
  std::vector<double> values;
  for (long i = 1; i <= 43; ++i) {
    values.push_back(
        static_cast<double>((i * 17) % 43 + (i * 29) % 41 + (i * i) % 37));
  }
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces(values), true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NEAR(c->raw.w, 0.970748233277111, 1e-10);
  EXPECT_NEAR(c->raw.p, 0.335421064349838, 1e-9);
  EXPECT_FALSE(c->log_tested);
  EXPECT_EQ(c->space, ComparisonSpace::kRaw);
  EXPECT_EQ(c->forces.size(), 43u);
}

TEST(NationalComparisonTest, SkewedWithZeroStaysRaw) {
  // 0, exp(2), ..., exp(10): raw p < 0.05 but not all values are > 0, so the
  // log transform is not tried. R: W = 0.587522526398359,
  // p = 3.92808146234232e-05; mean = 3484.10555635029,
  // sd = 6989.77176797981; z = (x - mean) / sd gives 2.65278479097116 for
  // exp(10) (well above) and -0.498457699622039 for 0 (within).
  std::vector<double> values = {0};
  for (int k = 2; k <= 10; ++k) values.push_back(std::exp(k));
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces(values), true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NEAR(c->raw.w, 0.587522526398359, 1e-10);
  EXPECT_NEAR(c->raw.p / 3.92808146234232e-05, 1.0, 1e-8);
  EXPECT_LT(c->raw.p, 0.05);
  EXPECT_FALSE(c->log_tested);
  EXPECT_EQ(c->space, ComparisonSpace::kRaw);
  EXPECT_NEAR(c->mean, 3484.10555635029, 1e-9);
  EXPECT_NEAR(c->sd, 6989.77176797981, 1e-9);
  EXPECT_NEAR(c->mean_value, 3484.10555635029, 1e-9);
  EXPECT_NEAR(c->lower, -3505.66621162952, 1e-9);
  EXPECT_NEAR(c->upper, 10473.8773243301, 1e-9);
  EXPECT_NEAR(c->forces[0].z, -0.498457699622039, 1e-12);
  EXPECT_NEAR(c->forces[9].z, 2.65278479097116, 1e-12);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(c->forces[i].position, Position::kWithin) << "i=" << i;
  }
  EXPECT_EQ(c->forces[9].position, Position::kWellAbove);
}

TEST(NationalComparisonTest, SkewedWithNegativeStaysRaw) {
  // -5, exp(2), ..., exp(10). R: W = 0.587685661495245,
  // p = 3.94567233957701e-05 (< 0.05), but a value is <= 0.
  std::vector<double> values = {-5};
  for (int k = 2; k <= 10; ++k) values.push_back(std::exp(k));
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces(values), true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NEAR(c->raw.w, 0.587685661495245, 1e-10);
  EXPECT_FALSE(c->log_tested);
  EXPECT_EQ(c->space, ComparisonSpace::kRaw);
}

TEST(NationalComparisonTest, LeftSkewedTriesLogsButKeepsRaw) {
  // 25000 - exp(1:10): all positive, raw p < 0.05 so logs are tried, but
  // logging left-skewed data makes it worse. R: raw W = 0.587433816587737,
  // p = 3.91854901945023e-05; log W = 0.4821965034773 (smaller), so raw.
  std::vector<double> values;
  for (int k = 1; k <= 10; ++k) values.push_back(25000 - std::exp(k));
  absl::StatusOr<NationalComparison> c =
      CompareNationally(Forces(values), true);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_NEAR(c->raw.w, 0.587433816587737, 1e-10);
  EXPECT_TRUE(c->log_tested);
  EXPECT_NEAR(c->log.w, 0.4821965034773, 1e-10);
  EXPECT_NEAR(c->log.p / 2.25047045741544e-06, 1.0, 1e-8);
  EXPECT_EQ(c->space, ComparisonSpace::kRaw);
}

TEST(NationalComparisonTest, RejectsBadInput) {
  EXPECT_EQ(CompareNationally({}, true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CompareNationally(Forces({1, 2}), true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CompareNationally(Forces({4, 4, 4, 4}), true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      CompareNationally(Forces({1, std::nan(""), 3}), true).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CompareNationally(
                Forces({1, 2, std::numeric_limits<double>::infinity()}), true)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NationalComparisonTest, PositionNames) {
  EXPECT_EQ(PositionName(Position::kWellAbove), "well above average");
  EXPECT_EQ(PositionName(Position::kWithin), "within");
  EXPECT_EQ(PositionName(Position::kWellBelow), "well below average");
}

}  // namespace
}  // namespace peel::stats
