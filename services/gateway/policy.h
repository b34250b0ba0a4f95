#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "peel/gateway/v1/gateway.pb.h"

// The grading policy: a textproto of v1::GradingPolicy naming, per area, the
// metrics and thresholds that make an indicative grade. Data, not code.
namespace peel::gateway {

// Parses and validates. Any problem (syntax, unknown area or metric, a rule
// on an ungraded area, thresholds out of order, ...) is an InvalidArgument
// whose message names the file and every problem found.
absl::StatusOr<v1::GradingPolicy> LoadPolicyFile(const std::string& path);
absl::StatusOr<v1::GradingPolicy> ParsePolicy(absl::string_view text,
                                              absl::string_view origin);
absl::Status ValidatePolicy(const v1::GradingPolicy& policy);

struct IndicativeGrade {
  peel::common::v1::Grade grade = peel::common::v1::NOT_YET_ASSESSED;
  std::string basis;  // e.g. "calls.999_within_10s 0.639 < 0.75 → INADEQUATE"
};

// The grade one rule gives a value.
peel::common::v1::Grade GradeForValue(const v1::MetricRule& rule,
                                      v1::Polarity polarity, double value);

// The worst grade over the area's rules whose metric has a value in
// `values` (metric id → value). NOT_YET_ASSESSED when the policy has no rule
// for the area or none of its metrics has a value; UNGRADED for ungraded
// areas.
IndicativeGrade GradeArea(const v1::GradingPolicy& policy, v1::Area area,
                          const std::map<std::string, double>& values);

}  // namespace peel::gateway
