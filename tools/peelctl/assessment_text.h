// Plain-text forms of the gateway's answers for `peelctl assess`, `compare`
// and `metrics`. Pure functions: the commands print what these return, and
// the tests check it without a server.
#pragma once

#include <string>

#include "peel/gateway/v1/gateway.pb.h"

namespace peel::peelctl {

// The eleven areas (recorded and indicative grade, the differs flag, key
// figures with interval, counts and national position, findings), then the
// monitoring status, consistency warnings and unavailable backends.
std::string AssessmentText(const peel::gateway::v1::ForceAssessment& a);

// Every force's value, z and position, the normality tests, the space used,
// mean, SD and ±1 SD lines, flags and exclusions.
std::string ComparisonText(const peel::gateway::v1::ForceComparison& c);

// One line per metric: id, unit, polarity, source, areas it informs.
std::string MetricsText(const peel::gateway::v1::ListMetricsResponse& m);

}  // namespace peel::peelctl
