// Text helpers for the HTML report: escaping and the inspectorate's ways of
// writing numbers, grades and positions.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "peel/common/v1/common.pb.h"
#include "peel/gateway/v1/gateway.pb.h"

namespace peel::report {

// Escapes & < > " ' so the result is safe in element content and in quoted
// attribute values.
std::string HtmlEscape(absl::string_view text);

// A fragment id from arbitrary text: [a-z0-9-] only, never empty.
std::string IdFragment(absl::string_view text);

// Fixed decimals with thousands separators: 311295 -> "311,295",
// 34.61 (1) -> "34.6", -0.04 (1) -> "0.0".
std::string FormatNumber(double value, int decimals);

// A value in its unit as the reports write it: PROPORTION 0.917 -> "91.7%",
// PER_1000_POPULATION -> "34.6 per 1,000 population", COUNT -> "69,100",
// DAYS -> "12.5 days".
std::string FormatValue(double value, peel::gateway::v1::Unit unit);

// The same without the unit's words, for tables whose header names the
// unit and for axis ticks (decimals follow `step` so ticks stay distinct).
std::string FormatBare(double value, peel::gateway::v1::Unit unit);
std::string FormatTick(double value, double step, peel::gateway::v1::Unit unit);

// "per 1,000 population", "%", "days", "" (for headers).
std::string UnitWords(peel::gateway::v1::Unit unit);

// "Outstanding", "Requires improvement", ..., "Not recorded" for unspecified.
std::string GradeName(peel::common::v1::Grade grade);
// A CSS class suffix: "outstanding", "requires-improvement", ...
std::string GradeClass(peel::common::v1::Grade grade);

// "well above average", "within one standard deviation of the average",
// "well below average".
std::string PositionWords(peel::gateway::v1::Position position);

std::string FindingKindName(peel::gateway::v1::FindingKind kind);
std::string RecommendationStateName(peel::gateway::v1::RecommendationState s);
std::string MonitoringLevelName(peel::gateway::v1::MonitoringLevel level);
std::string BackendName(peel::gateway::v1::Backend backend);

// Display name of a force slug from the reference data; the slug itself when
// unknown.
std::string ForceName(absl::string_view slug);

// "2021-04-01 to 2022-03-31"; "latest data" for the empty period.
std::string PeriodText(const peel::common::v1::Period& period);
// "p = 0.012", "p < 0.001".
std::string PValueText(double p);
// The area's name, or its enum name when the gateway sent none.
std::string AreaName(const peel::gateway::v1::AreaAssessment& area);
// "± 2.4 percentage points (89.3 to 94.1; Wald)", "0.61 to 0.66 (Wilson)",
// "—" when the estimate has no interval.
std::string IntervalText(const peel::common::v1::Estimate& e,
                         peel::gateway::v1::Unit unit);
// "1,023 of 1,116", "sample of 107", "—".
std::string CountText(const peel::common::v1::Estimate& e);

}  // namespace peel::report
