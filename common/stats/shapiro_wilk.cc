#include "common/stats/shapiro_wilk.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace peel::stats {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Evaluates c[0] + c[1] x + c[2] x^2 + ... by Horner's rule.
template <size_t N>
double Polynomial(const double (&c)[N], double x) {
  double result = 0;
  for (size_t i = N; i-- > 0;) result = result * x + c[i];
  return result;
}

// Royston (1992), eqs. for the two most extreme coefficients, as polynomials
// in u = 1/sqrt(n) added to the normalised Blom score m_n / sqrt(m'm).
constexpr double kAnCoef[] = {0.0,       0.221157, -0.147981,
                              -2.071190, 4.434685, -2.706056};
constexpr double kAn1Coef[] = {0.0,       0.042981, -0.293762,
                               -1.752461, 5.682633, -3.582633};

// 4 <= n <= 11: y = -log(gamma - log(1 - W)) is approximately normal with
// gamma = -2.273 + 0.459 n and mean / log-sd given by cubics in n.
constexpr double kSmallGamma[] = {-2.273, 0.459};
constexpr double kSmallMean[] = {0.5440, -0.39978, 0.025054, -0.0006714};
constexpr double kSmallLogSd[] = {1.3822, -0.77857, 0.062767, -0.0020322};

// n >= 12: log(1 - W) is approximately normal with mean and log-sd given by
// polynomials in log(n).
constexpr double kLargeMean[] = {-1.5861, -0.31082, -0.083751, 0.0038915};
constexpr double kLargeLogSd[] = {-0.4803, -0.082676, 0.0030302};

// Shapiro-Wilk coefficients a_1..a_n (ascending order, a_i = -a_{n+1-i}) for
// sample size n >= 3, per Royston (1992) / AS R94.
std::vector<double> Coefficients(int n) {
  std::vector<double> a(n, 0.0);
  if (n == 3) {
    a[0] = -std::sqrt(0.5);
    a[2] = std::sqrt(0.5);
    return a;
  }
  // Blom scores m_i = Phi^-1((i - 3/8) / (n + 1/4)); computed for the lower
  // half and mirrored so the vector is exactly antisymmetric.
  std::vector<double> m(n, 0.0);
  const int half = n / 2;
  for (int i = 0; i < half; ++i) {
    m[i] = NormalQuantile((i + 1 - 0.375) / (n + 0.25));
    m[n - 1 - i] = -m[i];
  }
  double summ2 = 0;
  for (double mi : m) summ2 += mi * mi;
  const double ssumm2 = std::sqrt(summ2);
  const double u = 1.0 / std::sqrt(static_cast<double>(n));
  const double mn = m[n - 1];
  const double an = mn / ssumm2 + Polynomial(kAnCoef, u);

  int fixed;  // number of extreme coefficients (per tail) from polynomials
  double phi;
  a[n - 1] = an;
  if (n <= 5) {
    fixed = 1;
    phi = (summ2 - 2 * mn * mn) / (1 - 2 * an * an);
  } else {
    fixed = 2;
    const double mn1 = m[n - 2];
    const double an1 = mn1 / ssumm2 + Polynomial(kAn1Coef, u);
    a[n - 2] = an1;
    phi = (summ2 - 2 * mn * mn - 2 * mn1 * mn1) /
          (1 - 2 * an * an - 2 * an1 * an1);
  }
  const double sqrt_phi = std::sqrt(phi);
  for (int i = half; i < n - fixed; ++i) a[i] = m[i] / sqrt_phi;
  for (int i = 0; i < half; ++i) a[i] = -a[n - 1 - i];
  if (n % 2 == 1) a[half] = 0;
  return a;
}

// P-value for W with sample size n (Royston 1992, 1995).
double PValue(double w, int n) {
  if (w >= 1) return 1.0;
  if (n == 3) {
    // Exact distribution for n = 3: W >= 3/4.
    const double p =
        6.0 / kPi * (std::asin(std::sqrt(w)) - std::asin(std::sqrt(0.75)));
    return std::clamp(p, 0.0, 1.0);
  }
  const double log_1mw = std::log1p(-w);
  const double nd = static_cast<double>(n);
  double y, mean, sd;
  if (n <= 11) {
    const double gamma = Polynomial(kSmallGamma, nd);
    if (gamma - log_1mw <= 0) return 0.0;  // Beyond the approximation: tiny.
    y = -std::log(gamma - log_1mw);
    mean = Polynomial(kSmallMean, nd);
    sd = std::exp(Polynomial(kSmallLogSd, nd));
  } else {
    const double log_n = std::log(nd);
    y = log_1mw;
    mean = Polynomial(kLargeMean, log_n);
    sd = std::exp(Polynomial(kLargeLogSd, log_n));
  }
  return NormalUpperTail((y - mean) / sd);
}

}  // namespace

double NormalQuantile(double p) {
  if (std::isnan(p) || p < 0 || p > 1) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();

  // Wichura (1988), AS 241 PPND16: rational approximations in three regions.
  constexpr double kA[] = {3.3871328727963666080e0, 1.3314166789178437745e2,
                           1.9715909503065514427e3, 1.3731693765509461125e4,
                           4.5921953931549871457e4, 6.7265770927008700853e4,
                           3.3430575583588128105e4, 2.5090809287301226727e3};
  constexpr double kB[] = {1.0,
                           4.2313330701600911252e1,
                           6.8718700749205790830e2,
                           5.3941960214247511077e3,
                           2.1213794301586595867e4,
                           3.9307895800092710610e4,
                           2.8729085735721942674e4,
                           5.2264952788528545610e3};
  constexpr double kC[] = {
      1.42343711074968357734e0,  4.63033784615654529590e0,
      5.76949722146069140550e0,  3.64784832476320460504e0,
      1.27045825245236838258e0,  2.41780725177450611770e-1,
      2.27238449892691845833e-2, 7.74545014278341407640e-4};
  constexpr double kD[] = {1.0,
                           2.05319162663775882187e0,
                           1.67638483018380384940e0,
                           6.89767334985100004550e-1,
                           1.48103976427480074590e-1,
                           1.51986665636164571966e-2,
                           5.47593808499534494600e-4,
                           1.05075007164441684324e-9};
  constexpr double kE[] = {
      6.65790464350110377720e0,  5.46378491116411436990e0,
      1.78482653991729133580e0,  2.96560571828504891230e-1,
      2.65321895265761230930e-2, 1.24266094738807843860e-3,
      2.71155556874348757815e-5, 2.01033439929228813265e-7};
  constexpr double kF[] = {1.0,
                           5.99832206555887937690e-1,
                           1.36929880922735805310e-1,
                           1.48753612908506148525e-2,
                           7.86869131145613259100e-4,
                           1.84631831751005468180e-5,
                           1.42151175831644588870e-7,
                           2.04426310338993978564e-15};
  constexpr double kSplit1 = 0.425;
  constexpr double kSplit2 = 5.0;
  constexpr double kConst1 = 0.180625;  // kSplit1^2
  constexpr double kConst2 = 1.6;

  const double q = p - 0.5;
  if (std::fabs(q) <= kSplit1) {
    const double r = kConst1 - q * q;
    return q * Polynomial(kA, r) / Polynomial(kB, r);
  }
  double r = std::sqrt(-std::log(q < 0 ? p : 1.0 - p));
  double x;
  if (r <= kSplit2) {
    r -= kConst2;
    x = Polynomial(kC, r) / Polynomial(kD, r);
  } else {
    r -= kSplit2;
    x = Polynomial(kE, r) / Polynomial(kF, r);
  }
  return q < 0 ? -x : x;
}

double NormalUpperTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

absl::StatusOr<ShapiroWilkResult> ShapiroWilk(absl::Span<const double> values) {
  const int n = static_cast<int>(values.size());
  if (values.size() < static_cast<size_t>(kShapiroWilkMinN) ||
      values.size() > static_cast<size_t>(kShapiroWilkMaxN)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Shapiro-Wilk needs ", kShapiroWilkMinN, " to ",
                     kShapiroWilkMaxN, " values, got ", values.size()));
  }
  for (double v : values) {
    if (!std::isfinite(v)) {
      return absl::InvalidArgumentError(
          "Shapiro-Wilk values must all be finite");
    }
  }
  std::vector<double> x(values.begin(), values.end());
  std::sort(x.begin(), x.end());
  if (x.front() == x.back()) {
    return absl::InvalidArgumentError(
        "Shapiro-Wilk needs values that are not all equal");
  }

  // W is scale- and location-invariant: scale by the largest magnitude so
  // squares cannot overflow, then centre (two-pass) for accuracy.
  const double scale = std::max(std::fabs(x.front()), std::fabs(x.back()));
  double mean = 0;
  for (double& v : x) {
    v /= scale;
    mean += v;
  }
  mean /= n;
  double ssq = 0;
  for (double& v : x) {
    v -= mean;
    ssq += v * v;
  }
  if (!(ssq > 0)) {
    return absl::InvalidArgumentError(
        "Shapiro-Wilk values have a range too small to test");
  }

  const std::vector<double> a = Coefficients(n);
  double ax = 0;
  for (int i = 0; i < n; ++i) ax += a[i] * x[i];
  const double w = std::min(1.0, ax * ax / ssq);

  ShapiroWilkResult result;
  result.w = w;
  result.p = PValue(w, n);
  result.n = n;
  return result;
}

}  // namespace peel::stats
