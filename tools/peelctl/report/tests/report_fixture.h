// A hand-made assessment of the Metropolitan Police Service with national
// comparisons over all 43 forces, for the report's tests. The Met's figures
// are the reference report's (63.9% of 999 calls answered within 10 s, 21 of
// 107 THRIVE, 91.7% ± 2.4 recorded, 34.6 searches per 1,000); every other
// force's value is SYNTHETIC (a fixed spread, not a published figure).
#pragma once

#include <vector>

#include "peel/gateway/v1/gateway.pb.h"

namespace peel::report::testing {

// With `hostile_text`, findings and judgments carry markup and quotes
// ("<script>...", "&", "\"") that the page must show as text.
peel::gateway::v1::ForceAssessment MetAssessment(bool hostile_text = false);

// Two comparisons of 43 forces each: person stop and searches per 1,000
// population (Met 34.6, well above) and 999 calls answered within 10 seconds
// (Met 0.639, well below).
std::vector<peel::gateway::v1::ForceComparison> NationalComparisons();

// The synthetic value of every force other than the Met in comparison `k`
// (0 or 1); the i-th non-Met force in slug order.
double SyntheticValue(int k, int i);

}  // namespace peel::report::testing
