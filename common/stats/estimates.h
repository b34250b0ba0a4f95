#pragma once

#include <cstdint>
#include <string_view>

#include "common/stats/intervals.h"
#include "peel/common/v1/common.pb.h"

// Builds the shared Estimate message from counts, so every figure a service
// returns carries its numerator, denominator and provenance.
namespace peel::stats {

peel::common::v1::Estimate WaldEstimate(int64_t r, int64_t n);
peel::common::v1::Estimate WilsonEstimate(int64_t r, int64_t n);
peel::common::v1::Estimate FromProportion(const Proportion& p,
                                          peel::common::v1::IntervalMethod m,
                                          int64_t r, int64_t n);
// A mean or count without an interval.
peel::common::v1::Estimate PlainEstimate(double value, int64_t sample_size);

}  // namespace peel::stats
