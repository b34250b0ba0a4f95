#include "common/stats/intervals.h"

#include <algorithm>
#include <cmath>

namespace peel::stats {

Proportion Wald(int64_t r, int64_t n, double z) {
  Proportion out;
  if (n <= 0) return out;
  out.p = static_cast<double>(r) / static_cast<double>(n);
  out.se = std::sqrt(out.p * (1 - out.p) / static_cast<double>(n));
  out.half_width = z * out.se;
  out.lower = std::max(0.0, out.p - out.half_width);
  out.upper = std::min(1.0, out.p + out.half_width);
  return out;
}

Proportion Wilson(int64_t r, int64_t n, double z) {
  Proportion out;
  if (n <= 0) return out;
  const double nn = static_cast<double>(n);
  out.p = static_cast<double>(r) / nn;
  out.se = std::sqrt(out.p * (1 - out.p) / nn);
  const double z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double centre = (out.p + z2 / (2 * nn)) / denom;
  const double spread =
      z * std::sqrt(out.p * (1 - out.p) / nn + z2 / (4 * nn * nn)) / denom;
  out.lower = std::max(0.0, centre - spread);
  out.upper = std::min(1.0, centre + spread);
  out.half_width = (out.upper - out.lower) / 2;
  return out;
}

Proportion StratifiedWald(absl::Span<const Stratum> strata, double z) {
  Proportion out;
  double variance = 0;
  for (const Stratum& s : strata) {
    if (s.n <= 0) continue;
    const double p = static_cast<double>(s.r) / static_cast<double>(s.n);
    out.p += s.weight * p;
    variance += s.weight * s.weight * p * (1 - p) / static_cast<double>(s.n);
  }
  out.se = std::sqrt(variance);
  out.half_width = z * out.se;
  out.lower = std::max(0.0, out.p - out.half_width);
  out.upper = std::min(1.0, out.p + out.half_width);
  return out;
}

int64_t RoundToNearest(double value, int64_t unit) {
  return static_cast<int64_t>(std::round(value / static_cast<double>(unit))) *
         unit;
}

const char* ProportionWording(double p) {
  // Compare on whole percentages as the reports do (94.6% reads as 95%).
  const double pct = std::round(p * 100);
  if (pct >= 95) return "almost all";
  if (pct >= 75) return "most";
  if (pct >= 50) return "more than half";
  if (pct >= 25) return "less than half";
  return "only";
}

}  // namespace peel::stats
