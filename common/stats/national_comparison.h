// National comparison of one value per police force, as described in the
// inspectorate's "About the data": forces are compared with the unweighted
// national mean, in raw or natural-log space depending on which is closer to
// normal (Shapiro-Wilk), with lines at the mean +/- one standard deviation.

#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/stats/shapiro_wilk.h"

namespace peel::stats {

// Significance level below which the raw values are considered non-normal
// and the natural-log transform is tried.
inline constexpr double kNormalityAlpha = 0.05;

enum class ComparisonSpace { kRaw, kLog };

// Where a force sits relative to the national mean +/- 1 SD. These describe
// above/below, not better/worse: see NationalComparison::higher_is_better.
enum class Position { kWithin, kWellAbove, kWellBelow };

struct ForceValue {
  std::string force;
  double value = 0;
};

struct ForceComparison {
  std::string force;
  double value = 0;  // on the original value scale
  double z = 0;      // (value in the chosen space - mean) / sd
  Position position = Position::kWithin;
};

struct NationalComparison {
  ShapiroWilkResult raw;  // always computed (n >= 3)
  bool log_tested = false;
  ShapiroWilkResult log;  // valid when log_tested
  ComparisonSpace space = ComparisonSpace::kRaw;
  double mean = 0;  // in the chosen space
  double sd = 0;    // sample SD (n - 1) in the chosen space
  // Back-transformed to the value scale (exp when logged).
  double mean_value = 0;
  double lower = 0;  // mean - 1 SD
  double upper = 0;  // mean + 1 SD
  bool higher_is_better = true;
  std::vector<ForceComparison> forces;  // input order
};

// Runs the national comparison over one value per force (unweighted):
//  1. Shapiro-Wilk on the raw values.
//  2. If its p < 0.05 and every value is > 0, Shapiro-Wilk on ln(values); the
//     logs are used if their W is larger than the raw W.
//  3. Mean and sample SD in the chosen space; z per force; |z| > 1 is well
//     above / well below average, otherwise within.
// Returns InvalidArgument when there are fewer than 3 (or more than 5000)
// values, a value is non-finite, or the SD is 0.
absl::StatusOr<NationalComparison> CompareNationally(
    std::vector<ForceValue> values, bool higher_is_better);

// "well above average", "within", "well below average".
absl::string_view PositionName(Position p);

}  // namespace peel::stats
