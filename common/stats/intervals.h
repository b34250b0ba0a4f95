#pragma once

#include <cstdint>

#include "absl/types/span.h"

// 95% intervals for proportions (DESIGN §3). All rates are computed from
// counts on read.
namespace peel::stats {

inline constexpr double kZ95 = 1.959964;

struct Proportion {
  double p = 0;      // r / n (0 when n == 0)
  double lower = 0;  // interval bounds, clamped to [0, 1]
  double upper = 0;
  double half_width = 0;  // z·SE for Wald; (upper − lower)/2 for Wilson
  double se = 0;          // sqrt(p(1−p)/n)
};

// p ± z·sqrt(p(1−p)/n): the published symmetric "±x" form.
Proportion Wald(int64_t r, int64_t n, double z = kZ95);

// Wilson score interval; better behaved near 0 and 1 and for small n.
Proportion Wilson(int64_t r, int64_t n, double z = kZ95);

struct Stratum {
  int64_t r = 0;
  int64_t n = 0;
  double weight = 0;  // share of the population, Σ weights = 1
};

// Stratified estimate p = Σ W_h p_h, SE = sqrt(Σ W_h² p_h(1−p_h)/n_h).
// Strata with n == 0 contribute nothing (their weight is not redistributed).
Proportion StratifiedWald(absl::Span<const Stratum> strata, double z = kZ95);

// Rounds to the nearest multiple of `unit` (halves away from zero).
int64_t RoundToNearest(double value, int64_t unit);

// Wording for a proportion of case files meeting a check (DESIGN §3):
// ≥95% "almost all", 75–94% "most", 50–74% "more than half",
// 25–49% "less than half", <25% "only".
const char* ProportionWording(double p);

}  // namespace peel::stats
