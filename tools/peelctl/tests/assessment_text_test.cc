// The text of `peelctl assess` and `compare` against the hand-made Met
// assessment (tools/peelctl/report/tests/report_fixture.h): the figures
// printed are the reference report's, written as the report writes them.
#include "tools/peelctl/assessment_text.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/peelctl/report/tests/report_fixture.h"

namespace peel::peelctl {
namespace {

namespace v1 = ::peel::gateway::v1;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n');
}

// The summary table line of area `n` (1-based).
std::string SummaryLine(const std::string& text, int n) {
  const std::string prefix = absl::StrFormat("%d. ", n);
  for (const auto& line : Lines(text)) {
    if (line.rfind(prefix, 0) == 0 && line.find("  ") != std::string::npos) {
      return line;
    }
  }
  return "";
}

TEST(AssessmentText, SummaryHasEveryAreaWithRecordedAndIndicativeGrades) {
  const std::string text = AssessmentText(report::testing::MetAssessment());
  EXPECT_THAT(text, HasSubstr("PEEL assessment: Metropolitan Police Service "
                              "(metropolitan)"));
  EXPECT_THAT(text, HasSubstr("Period: 2021-04-01 to 2022-03-31; grading "
                              "policy peel-2021-22"));
  // Responding to the public: recorded inadequate, indicative inadequate.
  std::string responding = SummaryLine(text, 5);
  EXPECT_THAT(responding, HasSubstr("Responding to the public"));
  EXPECT_THAT(responding, HasSubstr("Inadequate"));
  EXPECT_THAT(responding, Not(HasSubstr("DIFFERS")));
  // Investigating: recorded requires improvement, indicative adequate.
  std::string investigating = SummaryLine(text, 6);
  EXPECT_THAT(investigating, HasSubstr("Requires improvement"));
  EXPECT_THAT(investigating, HasSubstr("Adequate"));
  EXPECT_THAT(investigating, HasSubstr("DIFFERS"));
  EXPECT_THAT(SummaryLine(text, 1), HasSubstr("ungraded"));
  EXPECT_THAT(SummaryLine(text, 11), HasSubstr("Strategic planning"));
  EXPECT_EQ(SummaryLine(text, 12), "");
}

TEST(AssessmentText, KeyFiguresCarryIntervalCountsAndNationalPosition) {
  const std::string text = AssessmentText(report::testing::MetAssessment());
  // 91.7% ± 2.4 percentage points, as published.
  EXPECT_THAT(text, HasSubstr("Reported crime (excluding fraud) that is "
                              "recorded: 91.7% (most)"));
  EXPECT_THAT(text, HasSubstr("± 2.4 percentage points (89.3% to 94.1%; "
                              "stratified Wald); sample of 1,060"));
  EXPECT_THAT(text,
              HasSubstr("nationally: fewer than three forces have a value"));
  // 21 of 107 THRIVE assessments: 19.6%.
  EXPECT_THAT(text, HasSubstr("Incidents with a THRIVE risk assessment: "
                              "19.6% (only)"));
  EXPECT_THAT(text, HasSubstr("21 of 107"));
  // Stop and search: 34.6 per 1,000, well above the 43 forces' average.
  EXPECT_THAT(text, HasSubstr("34.6 per 1,000 population"));
  EXPECT_THAT(text, HasSubstr("nationally: well above average (z = "));
  EXPECT_THAT(text, HasSubstr("; 43 forces)"));
}

TEST(AssessmentText, FindingsMonitoringAndUnavailableAreas) {
  v1::ForceAssessment a = report::testing::MetAssessment();
  std::string text = AssessmentText(a);
  EXPECT_THAT(text, HasSubstr("Cause of concern: The force doesn't answer "
                              "emergency and non-emergency calls quickly "
                              "enough."));
  EXPECT_THAT(text, HasSubstr("[in progress]"));
  EXPECT_THAT(text, HasSubstr("Monitoring: Engage (enhanced monitoring) since "
                              "2022-06-28"));
  EXPECT_THAT(text, HasSubstr("Unavailable areas: none"));
  EXPECT_THAT(text, HasSubstr("Consistency warnings: none"));

  auto* area = a.mutable_areas(8);
  area->set_available(false);
  auto* u = area->add_unavailable();
  u->set_backend(v1::SOC_DISRUPTIONS);
  u->set_reason("deadline exceeded");
  auto* w = a.add_warnings();
  w->set_area(v1::RESPONDING_TO_THE_PUBLIC);
  w->set_message("Inadequate without a cause of concern");
  text = AssessmentText(a);
  EXPECT_THAT(text, HasSubstr("Unavailable areas: \n  - Disrupting serious "
                              "organised crime: "));
  EXPECT_THAT(text, HasSubstr("deadline exceeded"));
  EXPECT_THAT(SummaryLine(text, 9), HasSubstr("evidence unavailable"));
  EXPECT_THAT(SummaryLine(text, 8), Not(HasSubstr("evidence unavailable")));
  EXPECT_THAT(text, HasSubstr("see `peelctl status`"));
  EXPECT_THAT(text, HasSubstr("  - Inadequate without a cause of concern"));
}

TEST(ComparisonText, ListsEveryForceWithFlagsAndLines) {
  const auto comparisons = report::testing::NationalComparisons();
  const v1::ForceComparison& c = comparisons[0];
  const std::string text = ComparisonText(c);
  EXPECT_THAT(text, HasSubstr("Person stop and searches per 1,000 population "
                              "(stop_search.per_1000_population)"));
  EXPECT_THAT(text, HasSubstr("43 forces compared"));
  EXPECT_THAT(text, HasSubstr(absl::StrFormat("W = %.4f", c.raw().w())));
  EXPECT_THAT(text, HasSubstr("btp: outside PEEL scope"));
  // One row per force, the Met first (the highest value) and well above.
  int rows = 0;
  std::string first;
  for (const auto& line : Lines(text)) {
    if (line.find(" per 1,000 population ") != std::string::npos &&
        line.rfind("  ", 0) == 0) {
      if (++rows == 1) first = line;
    }
  }
  EXPECT_EQ(rows, 43);
  EXPECT_THAT(first, HasSubstr("metropolitan"));
  EXPECT_THAT(first, HasSubstr("34.6 per 1,000 population"));
  EXPECT_THAT(first, HasSubstr("well above"));
  // The ±1 SD lines, mean + and - one SD of the values (raw space here
  // unless logged).
  double sum = 0, sq = 0;
  for (const auto& f : c.forces())
    sum += c.logged() ? std::log(f.value()) : f.value();
  const double mean = sum / c.forces_size();
  for (const auto& f : c.forces()) {
    double v = c.logged() ? std::log(f.value()) : f.value();
    sq += (v - mean) * (v - mean);
  }
  const double sd = std::sqrt(sq / (c.forces_size() - 1));
  const double lower = c.logged() ? std::exp(mean - sd) : mean - sd;
  EXPECT_THAT(text,
              HasSubstr(absl::StrFormat("dotted lines (±1 SD) at %.1f per "
                                        "1,000 population",
                                        lower)));
}

TEST(MetricsText, OneEntryPerMetric) {
  v1::ListMetricsResponse r;
  auto* m = r.add_metrics();
  m->set_id("crime_recording.rate");
  m->set_name("Crime recording rate");
  m->set_unit(v1::PROPORTION);
  m->set_source(v1::CRIME_RECORDING);
  m->set_polarity(v1::HIGHER_IS_BETTER);
  m->add_informs(v1::RECORDING_DATA_ABOUT_CRIME);
  m->set_nationally_comparable(true);
  EXPECT_EQ(MetricsText(r),
            "crime_recording.rate\n    Crime recording rate; PROPORTION, "
            "HIGHER_IS_BETTER, from crime recording; nationally comparable; "
            "informs RECORDING_DATA_ABOUT_CRIME\n");
}

}  // namespace
}  // namespace peel::peelctl
