// Shapiro-Wilk W test for normality.
//
// Implemented from the published algorithm: P. Royston (1992), "Approximating
// the Shapiro-Wilk W-test for non-normality", Statistics and Computing 2,
// 117-119, and P. Royston (1995), "Remark AS R94: A remark on algorithm AS 181:
// the W-test for normality", Applied Statistics 44(4), 547-551. The inverse
// normal CDF follows M. J. Wichura (1988), "Algorithm AS 241: The percentage
// points of the normal distribution", Applied Statistics 37(3), 477-484.

#pragma once

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace peel::stats {

struct ShapiroWilkResult {
  double w = 0;
  double p = 0;
  int n = 0;
};

// Smallest and largest sample sizes the approximation is valid for.
inline constexpr int kShapiroWilkMinN = 3;
inline constexpr int kShapiroWilkMaxN = 5000;

// Computes the Shapiro-Wilk W statistic and its p-value (probability of a W
// this small or smaller under normality). Sorts a copy of `values`.
// Returns InvalidArgument if n < 3, n > 5000, any value is non-finite, or all
// values are equal (range 0).
absl::StatusOr<ShapiroWilkResult> ShapiroWilk(absl::Span<const double> values);

// Inverse of the standard normal CDF (Wichura's AS 241, PPND16; about 16
// significant digits). Returns -inf for p == 0, +inf for p == 1 and NaN
// outside [0, 1].
double NormalQuantile(double p);

// Upper-tail probability of the standard normal distribution, 1 - Phi(z).
double NormalUpperTail(double z);

}  // namespace peel::stats
