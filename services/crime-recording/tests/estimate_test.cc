#include "services/crime-recording/estimate.h"

#include <cmath>

#include "gtest/gtest.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace peel::crimerecording {
namespace {

double Pct1(double p) { return std::round(p * 1000) / 10; }  // 91.7

v1::storage::AuditTally PublishedTally() {
  v1::storage::AuditTally t;
  for (auto [s, n, r] : {std::tuple{v1::VIOLENCE, 235, 203},
                         {v1::SEXUAL_OFFENCES, 125, 119},
                         {v1::OTHER, 146, 142}}) {
    auto* st = t.add_strata();
    st->set_stratum(s);
    st->mutable_all()->set_crimes(n);
    st->mutable_all()->set_recorded(r);
    st->set_within_24h(r - 10);
  }
  return t;
}

// Expected values are the published figures of the reference report.
TEST(RecordingEstimate, ReproducesPublishedFigures) {
  v1::RecordingEstimate e =
      ComputeRecordingEstimate(testing::MetAudit(), PublishedTally());
  EXPECT_EQ(e.headline_method(), v1::STRATIFIED);
  EXPECT_EQ(Pct1(e.headline().value()), 91.7);
  EXPECT_EQ(Pct1(e.headline().half_width()), 2.4);
  EXPECT_EQ(Pct1(e.pooled().value()), 91.7);
  EXPECT_EQ(Pct1(e.pooled().half_width()), 2.4);
  EXPECT_EQ(e.pooled().ratio().numerator(), 464);
  EXPECT_EQ(e.pooled().ratio().denominator(), 506);
  ASSERT_EQ(e.strata_size(), 3);
  EXPECT_EQ(Pct1(e.strata(0).rate().value()), 86.4);
  EXPECT_EQ(Pct1(e.strata(0).rate().half_width()), 4.4);
  EXPECT_EQ(Pct1(e.strata(1).rate().value()), 95.2);
  EXPECT_EQ(Pct1(e.strata(1).rate().half_width()), 3.7);
  EXPECT_EQ(e.unrecorded(), 69100);
  EXPECT_TRUE(e.additionally_recorded_known());
  EXPECT_EQ(e.additionally_recorded(), 18300);
  // All three are "broadly unchanged" in the report.
  EXPECT_EQ(e.change().wording(), v1::BROADLY_UNCHANGED);
  EXPECT_EQ(e.strata(0).change().wording(), v1::BROADLY_UNCHANGED);
  EXPECT_EQ(e.strata(1).change().wording(), v1::BROADLY_UNCHANGED);
  EXPECT_EQ(e.strata(2).change().wording(), v1::NO_EARLIER_INSPECTION);
  // Within 24 h: (193 + 109 + 132) of 464 recorded.
  EXPECT_EQ(e.recorded_within_24h().ratio().numerator(), 434);
  EXPECT_EQ(e.recorded_within_24h().ratio().denominator(), 464);
  EXPECT_EQ(e.headline().provenance().force(), "metropolitan");
}

TEST(Change, ThresholdWorkedByHand) {
  // p = 0.95, SE = 0.01; p0 = 0.90 ± 0.0392 (SE0 = 0.02):
  // threshold = 1.959964 * sqrt(0.0001 + 0.0004) = 0.043826 < 0.05.
  v1::EarlierRate earlier;
  earlier.set_rate(0.90);
  earlier.set_half_width(0.02 * 1.959964);
  v1::Change c = CompareWithEarlier(0.95, 0.01, &earlier);
  EXPECT_NEAR(c.threshold(), 0.043826, 1e-6);
  EXPECT_EQ(c.wording(), v1::IMPROVED);
  c = CompareWithEarlier(0.85, 0.01, &earlier);
  EXPECT_EQ(c.wording(), v1::DETERIORATED);
  c = CompareWithEarlier(0.93, 0.01, &earlier);
  EXPECT_EQ(c.wording(), v1::BROADLY_UNCHANGED);
}

TEST(RecordingEstimate, EmptyAuditHasNoExtrapolation) {
  v1::RecordingEstimate e =
      ComputeRecordingEstimate(testing::MetAudit(), v1::storage::AuditTally());
  EXPECT_EQ(e.unrecorded(), 0);
  EXPECT_FALSE(e.additionally_recorded_known());
  EXPECT_EQ(e.headline().ratio().denominator(), 0);
}

}  // namespace
}  // namespace peel::crimerecording
