#include "common/stats/estimates.h"

namespace peel::stats {

using peel::common::v1::Estimate;
using peel::common::v1::IntervalMethod;

Estimate FromProportion(const Proportion& p, IntervalMethod m, int64_t r,
                        int64_t n) {
  Estimate e;
  e.set_value(p.p);
  e.mutable_interval()->set_lower(p.lower);
  e.mutable_interval()->set_upper(p.upper);
  e.set_method(m);
  e.set_half_width(p.half_width);
  e.mutable_ratio()->set_numerator(r);
  e.mutable_ratio()->set_denominator(n);
  e.set_sample_size(n);
  return e;
}

Estimate WaldEstimate(int64_t r, int64_t n) {
  return FromProportion(Wald(r, n), peel::common::v1::INTERVAL_METHOD_WALD, r,
                        n);
}

Estimate WilsonEstimate(int64_t r, int64_t n) {
  return FromProportion(Wilson(r, n), peel::common::v1::INTERVAL_METHOD_WILSON,
                        r, n);
}

Estimate PlainEstimate(double value, int64_t sample_size) {
  Estimate e;
  e.set_value(value);
  e.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  e.set_sample_size(sample_size);
  return e;
}

}  // namespace peel::stats
