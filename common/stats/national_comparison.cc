#include "common/stats/national_comparison.h"

#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace peel::stats {
namespace {

// Sample mean and SD (n - 1 denominator), two-pass.
void MeanAndSd(const std::vector<double>& x, double* mean, double* sd) {
  double sum = 0;
  for (double v : x) sum += v;
  const double m = sum / static_cast<double>(x.size());
  double ssq = 0;
  for (double v : x) ssq += (v - m) * (v - m);
  *mean = m;
  *sd = std::sqrt(ssq / static_cast<double>(x.size() - 1));
}

}  // namespace

absl::StatusOr<NationalComparison> CompareNationally(
    std::vector<ForceValue> values, bool higher_is_better) {
  if (values.size() < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "national comparison needs at least 3 values, got ", values.size()));
  }
  std::vector<double> raw;
  raw.reserve(values.size());
  bool all_positive = true;
  for (const ForceValue& fv : values) {
    if (!std::isfinite(fv.value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("non-finite value for force '", fv.force, "'"));
    }
    if (!(fv.value > 0)) all_positive = false;
    raw.push_back(fv.value);
  }

  NationalComparison result;
  result.higher_is_better = higher_is_better;

  absl::StatusOr<ShapiroWilkResult> raw_sw = ShapiroWilk(raw);
  if (!raw_sw.ok()) return raw_sw.status();
  result.raw = *raw_sw;

  std::vector<double> space_values = raw;
  if (result.raw.p < kNormalityAlpha && all_positive) {
    std::vector<double> logs;
    logs.reserve(raw.size());
    for (double v : raw) logs.push_back(std::log(v));
    absl::StatusOr<ShapiroWilkResult> log_sw = ShapiroWilk(logs);
    if (!log_sw.ok()) return log_sw.status();
    result.log_tested = true;
    result.log = *log_sw;
    if (result.log.w > result.raw.w) {
      result.space = ComparisonSpace::kLog;
      space_values = std::move(logs);
    }
  }

  MeanAndSd(space_values, &result.mean, &result.sd);
  if (!(result.sd > 0) || !std::isfinite(result.sd)) {
    return absl::InvalidArgumentError(
        "national comparison needs a positive, finite standard deviation");
  }
  const bool logged = result.space == ComparisonSpace::kLog;
  auto to_value_scale = [logged](double v) { return logged ? std::exp(v) : v; };
  result.mean_value = to_value_scale(result.mean);
  result.lower = to_value_scale(result.mean - result.sd);
  result.upper = to_value_scale(result.mean + result.sd);

  result.forces.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    ForceComparison fc;
    fc.force = std::move(values[i].force);
    fc.value = values[i].value;
    fc.z = (space_values[i] - result.mean) / result.sd;
    if (fc.z > 1) {
      fc.position = Position::kWellAbove;
    } else if (fc.z < -1) {
      fc.position = Position::kWellBelow;
    } else {
      fc.position = Position::kWithin;
    }
    result.forces.push_back(std::move(fc));
  }
  return result;
}

absl::string_view PositionName(Position p) {
  switch (p) {
    case Position::kWellAbove:
      return "well above average";
    case Position::kWellBelow:
      return "well below average";
    case Position::kWithin:
      return "within";
  }
  return "within";
}

}  // namespace peel::stats
