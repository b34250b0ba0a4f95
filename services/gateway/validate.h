#pragma once

#include "absl/status/status.h"
#include "peel/gateway/v1/gateway.pb.h"

// Validation of recorded judgments and findings: INVALID_ARGUMENT with one
// field violation per bad field (prefixed with the request field name).
namespace peel::gateway {

absl::Status ValidateJudgment(const v1::Judgment& j);
absl::Status ValidateFinding(const v1::Finding& f);
absl::Status ValidateRecommendationStatus(const v1::RecommendationStatus& s);
absl::Status ValidateMonitoringStatus(const v1::MonitoringStatus& s);

}  // namespace peel::gateway
