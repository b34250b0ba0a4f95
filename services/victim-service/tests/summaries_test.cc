#include "services/victim-service/summaries.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "services/victim-service/store.h"
#include "services/victim-service/validate.h"

namespace peel::victimservice {
namespace {

TEST(VictimServiceWording, BandsOnWholePercentages) {
  EXPECT_EQ(WordingFor(100.0 / 105), v1::ALMOST_ALL);  // 95.2%
  EXPECT_EQ(WordingFor(0.945), v1::ALMOST_ALL);        // reads as 95%
  EXPECT_EQ(WordingFor(24.0 / 26), v1::MOST);          // 92.3%
  EXPECT_EQ(WordingFor(0.75), v1::MOST);
  EXPECT_EQ(WordingFor(31.0 / 43), v1::MORE_THAN_HALF);  // 72.1%
  EXPECT_EQ(WordingFor(0.5), v1::MORE_THAN_HALF);
  EXPECT_EQ(WordingFor(39.0 / 96), v1::LESS_THAN_HALF);  // 40.6%
  EXPECT_EQ(WordingFor(21.0 / 107), v1::ONLY);           // 19.6%
}

TEST(VictimServiceHistogram, QuantilesWithinOneSecondOfExact) {
  std::mt19937_64 rng(7);
  v1::storage::CallTally tally;
  std::vector<int64_t> ms;
  for (int i = 0; i < 5000; ++i) {
    int64_t v = static_cast<int64_t>(rng() % 120000);
    ms.push_back(v);
    AddAnswered(v, &tally);
  }
  std::sort(ms.begin(), ms.end());
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.99, 1.0}) {
    size_t k = static_cast<size_t>(std::ceil(q * ms.size()));
    const double exact = ms[std::max<size_t>(k, 1) - 1] / 1000.0;
    const double got = HistogramQuantileSeconds(tally, q);
    EXPECT_LT(std::fabs(got - exact), 1.0) << q;
    EXPECT_EQ(std::floor(got), std::floor(exact)) << q;
  }
  v1::AnswerTimes t = ComputeAnswerTimes(tally);
  double sum = 0;
  for (int64_t v : ms) sum += v;
  EXPECT_NEAR(t.mean_seconds(), sum / 1000.0 / ms.size(), 1e-9);
  EXPECT_DOUBLE_EQ(t.percentile_error_seconds(), 1.0);
}

TEST(VictimServiceHistogram, SingleValueAndOverflow) {
  v1::storage::CallTally one;
  AddAnswered(4200, &one);
  EXPECT_DOUBLE_EQ(HistogramQuantileSeconds(one, 0.5), 4.5);
  v1::storage::CallTally coarse;
  AddAnswered(1234567, &coarse);  // 1,234.567 s: bucket [1230, 1240)
  EXPECT_DOUBLE_EQ(HistogramQuantileSeconds(coarse, 0.5), 1235);
  EXPECT_DOUBLE_EQ(ComputeAnswerTimes(coarse).percentile_error_seconds(), 10);
  v1::storage::CallTally top;
  AddAnswered(3700000, &top);
  AddAnswered(4000000, &top);
  const double p = HistogramQuantileSeconds(top, 1.0);
  EXPECT_GE(p, 3600);
  EXPECT_LE(p, 4000);
  EXPECT_DOUBLE_EQ(ComputeAnswerTimes(top).percentile_error_seconds(), 400);
  EXPECT_EQ(HistogramQuantileSeconds(v1::storage::CallTally(), 0.5), 0);
}

TEST(VictimServiceCallFigures, BandsFromHistogramAndPublishedMonths) {
  MonthInputs records;
  for (int64_t ms : {0, 9999, 10000, 59999, 60000, 1000000}) {
    AddAnswered(ms, &records.emergency);
  }
  AddAbandoned(3000, &records.non_emergency);
  AddAnswered(3000, &records.non_emergency);
  v1::MonthlyCallAggregate pub;
  pub.set_calls(10);
  pub.set_under_10s(7);
  pub.set_from_10_to_60s(2);
  pub.set_over_60s(1);
  pub.set_mean_answer_seconds(8);
  MonthInputs published;
  published.published = &pub;
  v1::CallHandlingFigures f = ComputeCallFigures({&records, &published}, {});
  EXPECT_EQ(f.emergency().source(), v1::MIXED);
  EXPECT_EQ(f.emergency().band_under_10s().ratio().numerator(), 2 + 7);
  EXPECT_EQ(f.emergency().band_10_to_60s().ratio().numerator(), 2 + 2);
  EXPECT_EQ(f.emergency().band_60s_and_over().ratio().numerator(), 2 + 1);
  EXPECT_EQ(f.emergency().within_10s().ratio().denominator(), 16);
  const double record_seconds = (9999 + 10000 + 59999 + 60000 + 1000000) / 1e3;
  EXPECT_NEAR(f.emergency().answer_times().mean_seconds(),
              (record_seconds + 80) / 16, 1e-9);
  EXPECT_FALSE(f.emergency().answer_times().percentiles_available());
  EXPECT_DOUBLE_EQ(f.non_emergency().abandonment().value(), 0.5);
  EXPECT_FALSE(f.non_emergency().target_met());
}

TEST(VictimServiceMonths, ParseFormatAndWholeMonthPeriods) {
  int32_t m = 0;
  ASSERT_TRUE(ParseMonth("2021-10", &m));
  EXPECT_EQ(FormatMonth(m), "2021-10");
  EXPECT_FALSE(ParseMonth("2021-13", &m));
  EXPECT_FALSE(ParseMonth("21-10", &m));
  EXPECT_EQ(MonthOfUnixSeconds(1633046400), m);      // 2021-10-01 00:00
  EXPECT_EQ(MonthOfUnixSeconds(1633046399), m - 1);  // a second before
  peel::common::v1::Period p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-03-31");
  validation::FieldViolations v;
  int32_t first = 0, last = 0;
  ASSERT_TRUE(CheckWholeMonths("period", p, 120, &v, &first, &last));
  EXPECT_EQ(last - first + 1, 12);
  p.set_end_date("2022-03-30");
  EXPECT_FALSE(CheckWholeMonths("period", p, 120, &v, &first, &last));
  EXPECT_EQ(v.violations()[0].field, "period.end_date");
}

TEST(VictimServiceValidation, MonthlyAggregateBandsMustAddUp) {
  v1::MonthlyCallAggregate a;
  a.set_force("kent");
  a.set_month("2022-01");
  a.set_calls(10);
  a.set_under_10s(5);
  a.set_from_10_to_60s(3);
  a.set_over_60s(1);
  a.set_mean_answer_seconds(9);
  a.set_source("test");
  validation::FieldViolations v;
  int32_t m;
  ValidateMonthlyAggregate(a, &v, &m);
  ASSERT_EQ(v.violations().size(), 1u);
  EXPECT_EQ(v.violations()[0].field, "calls");
}

}  // namespace
}  // namespace peel::victimservice
