#include "common/stats/intervals.h"

#include <cmath>

#include "gtest/gtest.h"

namespace peel::stats {
namespace {

// Expected values are worked by hand from the formulas in DESIGN §3.
TEST(Wald, ReferenceReportAllCrime) {
  // 464 of 506: p = 0.9169960, SE = sqrt(p(1-p)/506) = 0.0122647,
  // half width = 1.959964 * 0.0122647 = 0.0240384 -> "91.7% ± 2.4"
  // (worked with a desk calculator, /usr/bin/python3 as the calculator).
  Proportion p = Wald(464, 506);
  EXPECT_NEAR(p.p, 0.9169960, 1e-7);
  EXPECT_NEAR(p.se, 0.0122647, 1e-7);
  EXPECT_NEAR(p.half_width, 0.0240384, 1e-7);
  EXPECT_NEAR(p.lower, 0.8929576, 1e-7);
}

TEST(Wald, ViolenceAndSexualOffences) {
  // 203/235 = 0.863830; sqrt(.863830*.136170/235) = 0.022373; *z = 0.043850.
  EXPECT_NEAR(Wald(203, 235).half_width, 0.043850, 5e-6);
  // 119/125 = 0.952; sqrt(.952*.048/125) = 0.019120; *z = 0.037474.
  EXPECT_NEAR(Wald(119, 125).half_width, 0.037474, 5e-6);
}

TEST(Wald, EmptySampleIsZero) {
  Proportion p = Wald(0, 0);
  EXPECT_EQ(p.p, 0);
  EXPECT_EQ(p.half_width, 0);
}

TEST(Wilson, HandWorked) {
  // r = 21, n = 107, z = 1.959964: p = 0.196262, z² = 3.841459,
  // centre = (p + z²/2n) / (1 + z²/n) = 0.2142124 / 1.0359015 = 0.2067884,
  // spread = z sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n) = 0.0773656 / 1.0359015
  //        = 0.0746843 -> [0.1321041, 0.2814727].
  Proportion p = Wilson(21, 107);
  EXPECT_NEAR(p.lower, 0.1321041, 1e-6);
  EXPECT_NEAR(p.upper, 0.2814727, 1e-6);
}

TEST(Wilson, AllMetStaysBelowOne) {
  Proportion p = Wilson(10, 10);
  EXPECT_DOUBLE_EQ(p.upper, 1.0);
  // lower = n / (n + z²) = 10 / 13.841459 = 0.722467
  EXPECT_NEAR(p.lower, 0.722467, 1e-5);
}

TEST(Stratified, WeightsEqualToSampleSharesReproducePooledValue) {
  std::vector<Stratum> strata = {{203, 235, 235.0 / 506},
                                 {119, 125, 125.0 / 506},
                                 {142, 146, 146.0 / 506}};
  Proportion p = StratifiedWald(strata);
  EXPECT_NEAR(p.p, 464.0 / 506, 1e-12);
  // Var = Σ n_h p_h q_h / N² = (27.6468 + 5.712 + 3.8904) / 256036
  double var =
      (203.0 * 32 / 235 + 119.0 * 6 / 125 + 142.0 * 4 / 146) / (506.0 * 506.0);
  EXPECT_NEAR(p.se, std::sqrt(var), 1e-12);
  EXPECT_NEAR(p.half_width, 0.02364, 1e-4);
}

TEST(Stratified, UnequalWeights) {
  // Two strata: 0.5 * 0.8 + 0.5 * 0.6 = 0.7;
  // var = .25 * .16 / 100 + .25 * .24 / 50 = 0.0004 + 0.0012 = 0.0016.
  std::vector<Stratum> strata = {{80, 100, 0.5}, {30, 50, 0.5}};
  Proportion p = StratifiedWald(strata);
  EXPECT_NEAR(p.p, 0.7, 1e-12);
  EXPECT_NEAR(p.se, 0.04, 1e-12);
}

TEST(Rounding, NearestHundred) {
  EXPECT_EQ(RoundToNearest(69101.4, 100), 69100);
  EXPECT_EQ(RoundToNearest(18311.0, 100), 18300);
  EXPECT_EQ(RoundToNearest(18350.0, 100), 18400);
  EXPECT_EQ(RoundToNearest(-149.0, 100), -100);
}

TEST(Wording, Bands) {
  EXPECT_STREQ(ProportionWording(0.95), "almost all");
  EXPECT_STREQ(ProportionWording(0.9460), "almost all");  // 94.6% reads as 95%
  EXPECT_STREQ(ProportionWording(0.9440), "most");
  EXPECT_STREQ(ProportionWording(0.75), "most");
  EXPECT_STREQ(ProportionWording(0.74), "more than half");
  EXPECT_STREQ(ProportionWording(0.50), "more than half");
  EXPECT_STREQ(ProportionWording(0.49), "less than half");
  EXPECT_STREQ(ProportionWording(21.0 / 107), "only");
}

}  // namespace
}  // namespace peel::stats
