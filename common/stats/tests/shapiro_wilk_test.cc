#include "common/stats/shapiro_wilk.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace peel::stats {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ---------------------------------------------------------------------------
// Independent reference implementation used only by the tests. It shares no
// code with shapiro_wilk.cc: the normal quantile is found by bisection on
// std::erfc (not AS 241), the Blom scores are computed for every i (no
// mirroring), and W uses the textbook formula on unscaled data.

double RefNormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double RefNormalQuantile(double p) {
  double lo = -40, hi = 40;
  for (int iter = 0; iter < 200 && lo < hi; ++iter) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    if (RefNormalCdf(mid) < p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

// Royston (1992): a_n = c_n + 0.221157u - 0.147981u^2 - 2.071190u^3
//   + 4.434685u^4 - 2.706056u^5, a_{n-1} = c_{n-1} + 0.042981u - 0.293762u^2
//   - 1.752461u^3 + 5.682633u^4 - 3.582633u^5, u = n^-1/2, c = m/sqrt(m'm);
// the remaining a_i = m_i / sqrt(phi) with phi chosen so that sum a_i^2 = 1.
double RefW(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const int n = static_cast<int>(x.size());
  std::vector<double> m(n + 1), a(n + 1);  // 1-based
  double mm = 0;
  for (int i = 1; i <= n; ++i) {
    m[i] = RefNormalQuantile((i - 0.375) / (n + 0.25));
    mm += m[i] * m[i];
  }
  const double u = 1 / std::sqrt(static_cast<double>(n));
  const double an = m[n] / std::sqrt(mm) + 0.221157 * u -
                    0.147981 * std::pow(u, 2) - 2.071190 * std::pow(u, 3) +
                    4.434685 * std::pow(u, 4) - 2.706056 * std::pow(u, 5);
  const double an1 = m[n - 1] / std::sqrt(mm) + 0.042981 * u -
                     0.293762 * std::pow(u, 2) - 1.752461 * std::pow(u, 3) +
                     5.682633 * std::pow(u, 4) - 3.582633 * std::pow(u, 5);
  const double phi = (mm - 2 * m[n] * m[n] - 2 * m[n - 1] * m[n - 1]) /
                     (1 - 2 * an * an - 2 * an1 * an1);
  for (int i = 3; i <= n - 2; ++i) a[i] = m[i] / std::sqrt(phi);
  a[n] = an;
  a[n - 1] = an1;
  a[1] = -an;
  a[2] = -an1;
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  double num = 0, den = 0;
  for (int i = 1; i <= n; ++i) {
    num += a[i] * x[i - 1];
    den += (x[i - 1] - mean) * (x[i - 1] - mean);
  }
  return num * num / den;
}

// R's ppoints(n) for n > 10: (i - 1/2) / n.
std::vector<double> NormalScores(int n) {
  std::vector<double> x(n);
  for (int i = 1; i <= n; ++i) x[i - 1] = RefNormalQuantile((i - 0.5) / n);
  return x;
}

// Integer data, exactly reproducible in R:
//   i <- 1:43; (i*17) %% 43 + (i*29) %% 41 + (i*i) %% 37
std::vector<double> Mod43() {
  std::vector<double> x;
  for (long i = 1; i <= 43; ++i) {
    x.push_back(
        static_cast<double>((i * 17) % 43 + (i * 29) % 41 + (i * i) % 37));
  }
  return x;
}

//   i <- 1:5000; (i*7919) %% 10007 + (i*104729) %% 10009 + (i*i) %% 10037
std::vector<double> Mod5000() {
  std::vector<double> x;
  for (long i = 1; i <= 5000; ++i) {
    x.push_back(static_cast<double>((i * 7919) % 10007 + (i * 104729) % 10009 +
                                    (i * i) % 10037));
  }
  return x;
}

const std::vector<double> kWeights = {148, 154, 158, 160, 161, 162,
                                      166, 170, 182, 195, 236};

// ---------------------------------------------------------------------------
// Normal distribution helpers.

TEST(NormalQuantileTest, MatchesPublishedValues) {
  // Standard normal table values (also R's qnorm, printed to 17 digits).
  EXPECT_DOUBLE_EQ(NormalQuantile(0.5), 0.0);
  EXPECT_NEAR(NormalQuantile(0.975), 1.9599639845400536, 1e-15);
  EXPECT_NEAR(NormalQuantile(0.025), -1.9599639845400536, 1e-15);
  EXPECT_NEAR(NormalQuantile(0.9), 1.2815515655446008, 1e-15);
  EXPECT_NEAR(NormalQuantile(0.995), 2.5758293035488999, 1e-15);
  EXPECT_NEAR(NormalQuantile(0.3), -0.52440051270804067, 1e-15);
  // Tail regions of AS 241 (r <= 5 and r > 5).
  EXPECT_NEAR(NormalQuantile(1e-10), -6.3613409024040557, 1e-13);
  EXPECT_NEAR(NormalQuantile(1e-300), -37.047096299361201, 1e-12);
}

TEST(NormalQuantileTest, EdgeCases) {
  EXPECT_EQ(NormalQuantile(0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(NormalQuantile(1), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(NormalQuantile(-0.1)));
  EXPECT_TRUE(std::isnan(NormalQuantile(1.1)));
  EXPECT_TRUE(std::isnan(NormalQuantile(std::nan(""))));
}

TEST(NormalQuantileTest, InvertsTheCdf) {
  // Round trip against the erfc-based CDF, across all three AS 241 regions.
  for (double p : {1e-200, 1e-50, 1e-12, 1e-5, 0.01, 0.07, 0.2, 0.5, 0.6, 0.8,
                   0.93, 0.99, 0.999999}) {
    const double z = NormalQuantile(p);
    EXPECT_NEAR(RefNormalCdf(z) / p, 1.0, 1e-12) << "p=" << p;
  }
}

TEST(NormalUpperTailTest, MatchesPublishedValues) {
  // R: pnorm(z, lower.tail = FALSE).
  EXPECT_DOUBLE_EQ(NormalUpperTail(0), 0.5);
  EXPECT_NEAR(NormalUpperTail(1.959963984540054), 0.025, 1e-16);
  EXPECT_NEAR(NormalUpperTail(3) / 0.0013498980316300946, 1.0, 1e-14);
  EXPECT_DOUBLE_EQ(NormalUpperTail(-10), 1.0);
  EXPECT_EQ(NormalUpperTail(40), 0.0);
}

// ---------------------------------------------------------------------------
// Shapiro-Wilk.

TEST(ShapiroWilkTest, ShapiroWilk1965WeightsExample) {
  // Shapiro & Wilk (1965), Biometrika 52, worked example (weights in pounds
  // of 11 men): W = 0.79 by hand with the exact coefficients. R's
  // shapiro.test (AS R94) reports W = 0.78881, p-value = 0.006704.
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(kWeights);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->n, 11);
  EXPECT_NEAR(r->w, 0.79, 0.005);
  EXPECT_NEAR(r->w, 0.78881, 5e-6);
  EXPECT_NEAR(r->p, 0.006704, 5e-7);
  EXPECT_LT(r->p, 0.05);
}

TEST(ShapiroWilkTest, InvariantToOrderShiftAndScale) {
  // Same weights, shuffled, and linearly transformed: R's values (W =
  // 0.788814694835387, p = 0.00670381405650293) must still come out.
  std::vector<double> shuffled = {236, 160, 148, 195, 161, 170,
                                  154, 182, 158, 166, 162};
  for (auto transform :
       {+[](double v) { return v; }, +[](double v) { return v * 1e150; },
        +[](double v) { return -v * 1e-150; },
        +[](double v) { return v + 1e6; }}) {
    std::vector<double> x;
    for (double v : shuffled) x.push_back(transform(v));
    absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(x);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_NEAR(r->w, 0.788814694835387, 1e-9);
    EXPECT_NEAR(r->p, 0.00670381405650293, 1e-9);
  }
}

TEST(ShapiroWilkTest, ThreeValuesClosedForm) {
  // n = 3: a = (-1/sqrt(2), 0, 1/sqrt(2)), so for {1, 2, 4}
  // W = (4 - 1)^2 / 2 / SS with SS = 16/9 + 1/9 + 25/9 = 14/3, i.e. 27/28,
  // and p = 6/pi (asin(sqrt(W)) - asin(sqrt(3/4))). R: W = 0.964285714285714,
  // p = 0.636886845028963.
  const double w = 27.0 / 28.0;
  const double p = 6 / kPi * (std::asin(std::sqrt(w)) - kPi / 3);
  EXPECT_NEAR(p, 0.636886845028963, 1e-12);  // Sanity check of the formula.
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk({4.0, 1.0, 2.0});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->n, 3);
  EXPECT_NEAR(r->w, w, 1e-14);
  EXPECT_NEAR(r->p, p, 1e-12);
}

TEST(ShapiroWilkTest, ThreeValuesExtremes) {
  // Equally spaced: W = (3 - 1)^2 / 2 / 2 = 1, p = 6/pi (pi/2 - pi/3) = 1.
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk({1.0, 2.0, 3.0});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->w, 1.0, 1e-14);
  EXPECT_NEAR(r->p, 1.0, 1e-12);
  // Two tied, one apart: W = 1/2 / (2/3) = 3/4, the minimum; p = 0.
  r = ShapiroWilk({0.0, 0.0, 1.0});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->w, 0.75, 1e-14);
  EXPECT_NEAR(r->p, 0.0, 1e-7);
}

struct Published {
  std::vector<double> x;
  double w;
  double p;
};

TEST(ShapiroWilkTest, SmallSamplesMatchR) {
  // R 4.2.2 shapiro.test on each vector; exercises n = 4, 5 (one polynomial
  // coefficient), 6..11 (two) and the small-sample p-value transform, and
  // n = 12 (first size using the log-normal approximation).
  const std::vector<Published> cases = {
      {{1, 2, 3, 10}, 0.8068856645677, 0.115152981754537},
      {{2, 3, 3, 5, 11}, 0.791466208732004, 0.0689174452265336},
      {{4, 1, 7, 2, 9, 3}, 0.930232072496663, 0.581895257123432},
      {{10, 12, 15, 11, 30, 13, 14}, 0.695652575772938, 0.00332294033001421},
      {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 30},
       0.732129826832628,
       0.00175008130243658},
  };
  for (const Published& c : cases) {
    absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(c.x);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->n, static_cast<int>(c.x.size()));
    EXPECT_NEAR(r->w, c.w, 1e-10) << "n=" << c.x.size();
    EXPECT_NEAR(r->p / c.p, 1.0, 1e-8) << "n=" << c.x.size();
  }
}

TEST(ShapiroWilkTest, N20NormalScores) {
  // x = qnorm(ppoints(20)). W from the independent reference above; R:
  // W = 0.998454897973489, p = 0.999999999986997.
  const std::vector<double> x = NormalScores(20);
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(x);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->w, RefW(x), 1e-10);
  EXPECT_NEAR(r->w, 0.998454897973489, 1e-10);
  EXPECT_NEAR(r->p, 0.999999999986997, 1e-12);
  EXPECT_EQ(r->n, 20);
}

TEST(ShapiroWilkTest, N20SquaresBorderline) {
  // x = (1:20)^2. R: W = 0.906130628476546, p = 0.0538095888282039.
  std::vector<double> x;
  for (int i = 1; i <= 20; ++i) x.push_back(i * i);
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(x);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->w, RefW(x), 1e-10);
  EXPECT_NEAR(r->w, 0.906130628476546, 1e-10);
  EXPECT_NEAR(r->p, 0.0538095888282039, 1e-10);
}

TEST(ShapiroWilkTest, N43) {
  // 43 values (the number of territorial police forces in England and
  // Wales). R: W = 0.970748233277111, p = 0.335421064349838.
  const std::vector<double> x = Mod43();
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(x);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->n, 43);
  EXPECT_NEAR(r->w, RefW(x), 1e-10);
  EXPECT_NEAR(r->w, 0.970748233277111, 1e-10);
  EXPECT_NEAR(r->p, 0.335421064349838, 1e-9);
}

TEST(ShapiroWilkTest, N5000) {
  // Largest supported n. R: W = 0.997359817589583, p = 1.21657425206394e-07.
  const std::vector<double> x = Mod5000();
  absl::StatusOr<ShapiroWilkResult> r = ShapiroWilk(x);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->n, 5000);
  EXPECT_NEAR(r->w, RefW(x), 1e-10);
  EXPECT_NEAR(r->w, 0.997359817589583, 1e-10);
  EXPECT_NEAR(r->p / 1.21657425206394e-07, 1.0, 1e-6);

  // x = qnorm(ppoints(5000)). R: W = 0.999988925441143, p = 1 (to print
  // precision).
  const std::vector<double> z = NormalScores(5000);
  r = ShapiroWilk(z);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->w, RefW(z), 1e-10);
  EXPECT_NEAR(r->w, 0.999988925441143, 1e-10);
  EXPECT_NEAR(r->p, 1.0, 1e-12);
}

TEST(ShapiroWilkTest, RejectsBadInput) {
  EXPECT_EQ(ShapiroWilk({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShapiroWilk({1.0, 2.0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShapiroWilk(std::vector<double>(5001, 1.0)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<double> big(5001);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<double>(i);
  EXPECT_EQ(ShapiroWilk(big).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShapiroWilk({3.0, 3.0, 3.0, 3.0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShapiroWilk({1.0, std::nan(""), 3.0}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShapiroWilk({1.0, 2.0, std::numeric_limits<double>::infinity()})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ShapiroWilk({-std::numeric_limits<double>::infinity(), 2.0, 3.0})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace peel::stats
