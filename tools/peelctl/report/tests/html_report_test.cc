#include "tools/peelctl/report/html_report.h"

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/peelctl/report/tests/report_fixture.h"

namespace peel::report {
namespace {

namespace v1 = peel::gateway::v1;
using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// The text of every element that starts with `open` and ends with `close`.
std::vector<std::string> Blocks(const std::string& html,
                                const std::string& open,
                                const std::string& close) {
  std::vector<std::string> out;
  for (size_t at = html.find(open); at != std::string::npos;
       at = html.find(open, at + 1)) {
    size_t end = html.find(close, at);
    if (end == std::string::npos) break;
    out.push_back(html.substr(at, end + close.size() - at));
  }
  return out;
}

double Attr(const std::string& element, const std::string& name) {
  std::smatch m;
  std::regex re(" " + name + "=\"(-?[0-9.]+)\"");
  if (!std::regex_search(element, m, re)) return -1e9;
  return std::stod(m[1]);
}

class HtmlReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assessment_ = testing::MetAssessment();
    comparisons_ = testing::NationalComparisons();
    html_ = RenderAssessmentHtml(assessment_, comparisons_, ReportOptions{});
    charts_ = Blocks(html_, "<svg class=\"chart\"", "</svg>");
    tables_ = Blocks(html_, "<table class=\"chart-data\">", "</table>");
  }

  v1::ForceAssessment assessment_;
  std::vector<v1::ForceComparison> comparisons_;
  std::string html_;
  std::vector<std::string> charts_;
  std::vector<std::string> tables_;
};

TEST_F(HtmlReportTest, FixtureComparesAll43Forces) {
  ASSERT_EQ(comparisons_.size(), 2u);
  for (const auto& c : comparisons_) EXPECT_EQ(c.forces_size(), 43);
}

TEST_F(HtmlReportTest, OneBarPerForceAndOneHighlightedPerChart) {
  ASSERT_EQ(charts_.size(), 2u);
  EXPECT_EQ(Count(html_, "<rect class=\"bar\""), 86);
  for (const std::string& svg : charts_) {
    EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 43);
    auto highlighted = Blocks(
        svg, "<rect class=\"bar\" data-force=\"metropolitan\"", "</rect>");
    ASSERT_EQ(highlighted.size(), 1u);
    EXPECT_THAT(highlighted[0], HasSubstr("data-highlighted=\"true\""));
    EXPECT_EQ(Count(svg, "data-highlighted=\"true\""), 1);
    // A distinct fill and a text label, not colour alone.
    EXPECT_THAT(highlighted[0], HasSubstr("fill=\"#1d4f91\""));
    EXPECT_EQ(Count(svg, "fill=\"#1d4f91\""), 2);  // the bar and its legend key
    EXPECT_THAT(svg, HasSubstr("<text class=\"highlight-label\""));
    EXPECT_THAT(svg, HasSubstr("Metropolitan Police Service: "));
  }
}

TEST_F(HtmlReportTest, LinesAndBarsAtTheAxisScale) {
  ASSERT_EQ(charts_.size(), 2u);
  // The axis runs from 0 up to the next whole step above every value and
  // line: stop and search tops out at 34.6 (step 10, axis to 40); 999 calls
  // at under 95% (step 0.2, axis to 1.0).
  const double tops[] = {40, 1.0};
  for (int k = 0; k < 2; ++k) {
    const v1::ForceComparison& c = comparisons_[k];
    double hi = std::max(c.upper(), c.mean_value());
    for (const auto& f : c.forces()) hi = std::max(hi, f.value());
    ASSERT_GT(hi, tops[k] * 0.8) << "fixture changed: recompute the axis";
    ASSERT_LE(hi, tops[k]);
    auto y = [&](double v) {
      return 44 + (tops[k] - v) / tops[k] * (330 - 44);
    };

    const std::string& svg = charts_[k];
    auto mean = Blocks(svg, "<line class=\"mean-line\"", "/>");
    ASSERT_EQ(mean.size(), 1u);
    EXPECT_NEAR(Attr(mean[0], "y1"), y(c.mean_value()), 0.01);
    EXPECT_NEAR(Attr(mean[0], "y2"), y(c.mean_value()), 0.01);
    EXPECT_NEAR(Attr(mean[0], "x1"), 76, 0.01);
    EXPECT_NEAR(Attr(mean[0], "x2"), 944, 0.01);
    auto sd = Blocks(svg, "<line class=\"sd-line\"", "/>");
    ASSERT_EQ(sd.size(), 2u);
    EXPECT_NEAR(Attr(sd[0], "y1"), y(c.lower()), 0.01);
    EXPECT_NEAR(Attr(sd[1], "y1"), y(c.upper()), 0.01);
    for (const auto& line : sd) {
      EXPECT_THAT(line, HasSubstr("stroke-dasharray=\"2 4\""));  // dotted
    }
    EXPECT_THAT(mean[0], Not(HasSubstr("stroke-dasharray")));

    // Highest first: the Met's bar sits at its rank among the 43.
    double met = 0;
    int rank = 0;
    for (const auto& f : c.forces()) {
      if (f.force() == "metropolitan") met = f.value();
    }
    for (const auto& f : c.forces()) {
      if (f.value() > met) ++rank;
    }
    auto bar =
        Blocks(svg, "<rect class=\"bar\" data-force=\"metropolitan\"", ">");
    ASSERT_EQ(bar.size(), 1u);
    const double slot = (944.0 - 76.0) / 43;
    EXPECT_NEAR(Attr(bar[0], "x"), 76 + slot * rank + slot * 0.14, 0.01);
    EXPECT_NEAR(Attr(bar[0], "y"), y(met), 0.01);
    EXPECT_NEAR(Attr(bar[0], "height"), y(0) - y(met), 0.01);
  }
  // The Met is the highest for stop and search and in the low tail for 999.
  EXPECT_EQ(charts_[0].find("<rect class=\"bar\""),
            charts_[0].find("<rect class=\"bar\" data-force=\"metropolitan\""));
}

TEST_F(HtmlReportTest, EachChartHasATextAlternativeAndATable) {
  ASSERT_EQ(charts_.size(), 2u);
  ASSERT_EQ(tables_.size(), 2u);
  for (const std::string& svg : charts_) {
    EXPECT_THAT(svg, HasSubstr("role=\"img\""));
    EXPECT_THAT(svg, HasSubstr("aria-labelledby=\""));
    EXPECT_EQ(Count(svg, "<title id="), 1);
    EXPECT_EQ(Count(svg, "<desc id="), 1);
  }
  EXPECT_THAT(charts_[0],
              HasSubstr("Metropolitan Police Service (highlighted): 34.6 per "
                        "1,000 population, well above average"));
  EXPECT_THAT(charts_[0], HasSubstr("Mean of all forces: "));
  EXPECT_THAT(charts_[1],
              HasSubstr("Metropolitan Police Service (highlighted): 63.9%, "
                        "well below average"));
  for (const std::string& table : tables_) {
    EXPECT_EQ(Count(table, "<tr class=\"force-row\""), 43);
    EXPECT_EQ(Count(table, "data-highlighted=\"true\""), 1);
    EXPECT_THAT(table, HasSubstr("Metropolitan Police Service (this force)"));
    EXPECT_THAT(table, HasSubstr("<caption"));
  }
  // Every force's z is in the table, to two decimals.
  for (int k = 0; k < 2; ++k) {
    for (const auto& f : comparisons_[k].forces()) {
      char z[32];
      std::snprintf(z, sizeof z, "<td class=\"num\">%.2f</td>", f.z());
      EXPECT_THAT(tables_[k], HasSubstr(z)) << f.force();
    }
  }
}

TEST_F(HtmlReportTest, HeadingsInOrder) {
  std::regex heading("<h([1-6])[ >]");
  std::vector<int> levels;
  for (auto it = std::sregex_iterator(html_.begin(), html_.end(), heading);
       it != std::sregex_iterator(); ++it) {
    levels.push_back(std::stoi((*it)[1]));
  }
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.front(), 1);
  EXPECT_EQ(std::count(levels.begin(), levels.end(), 1), 1);
  for (size_t i = 1; i < levels.size(); ++i) {
    EXPECT_LE(levels[i], levels[i - 1] + 1)
        << "heading " << i << " skips a level";
  }
  EXPECT_THAT(html_, HasSubstr("<html lang=\"en-GB\">"));
}

TEST_F(HtmlReportTest, ElevenAreasWithGradesInWords) {
  EXPECT_EQ(Count(html_, "<section class=\"area\""), 11);
  EXPECT_EQ(Count(html_, "<tr class=\"area-row\""), 11);
  EXPECT_THAT(html_, HasSubstr("<span class=\"grade grade-inadequate\">"
                               "Inadequate</span>"));
  EXPECT_THAT(html_, HasSubstr("<span class=\"grade grade-good\">Good</span>"));
  EXPECT_THAT(html_, HasSubstr("Ungraded"));
  // Investigating crime (requires improvement vs adequate) and SOC (adequate
  // vs good) differ: twice each (summary table and the area's section).
  EXPECT_EQ(Count(html_, "\u2260 Differs"), 4);
  EXPECT_THAT(html_, HasSubstr("Engage (enhanced monitoring)"));
  EXPECT_THAT(html_, HasSubstr("since 2022-06-28"));
}

TEST_F(HtmlReportTest, KeyFiguresWithCountsIntervalsAndProvenance) {
  EXPECT_THAT(html_, HasSubstr(">21 of 107<"));
  EXPECT_THAT(html_, HasSubstr(">6,390 of 10,000<"));
  EXPECT_THAT(html_, HasSubstr(">311,295 of 8,9"));  // of the Met's population
  EXPECT_THAT(html_, HasSubstr("91.7%"));
  EXPECT_THAT(html_, HasSubstr("± 2.4 percentage points (89.3% to 94.1%; "
                               "stratified Wald)"));
  EXPECT_THAT(html_, HasSubstr("(Wilson)"));
  EXPECT_THAT(html_, HasSubstr("audit:met-2021h1"));
  EXPECT_THAT(html_, HasSubstr("peel.victimservice.v1.VictimService"));
  EXPECT_THAT(html_,
              HasSubstr("Not compared: fewer than three forces have a value"));
  EXPECT_THAT(html_,
              HasSubstr("<a href=\"#chart-calls-999-within-10s-section\">"));
  EXPECT_THAT(html_, HasSubstr("id=\"chart-calls-999-within-10s-section\""));
  // Findings: the cause of concern with its recommendation and status.
  EXPECT_THAT(html_, HasSubstr("Causes of concern (1)"));
  EXPECT_THAT(html_, HasSubstr("Areas for improvement (1)"));
  EXPECT_THAT(html_, HasSubstr("answer calls within national standards."));
  EXPECT_THAT(html_, HasSubstr("status: in progress as of 2022-12-01"));
}

TEST_F(HtmlReportTest, SelfContained) {
  EXPECT_THAT(html_, Not(HasSubstr("<script")));
  EXPECT_THAT(html_, Not(HasSubstr("<link")));
  EXPECT_THAT(html_, Not(HasSubstr(" src=")));
  EXPECT_THAT(html_, Not(HasSubstr("url(")));
  // The only address is the SVG namespace name (never fetched).
  EXPECT_EQ(Count(html_, "http"), Count(html_, "http://www.w3.org/2000/svg"));
  // Pure: the same input gives the same page.
  EXPECT_EQ(html_, RenderAssessmentHtml(assessment_, comparisons_, {}));
}

TEST(HtmlReportEscapingTest, EveryTextIsEscaped) {
  auto a = testing::MetAssessment(/*hostile_text=*/true);
  auto comparisons = testing::NationalComparisons();
  comparisons[0].mutable_forces(5)->set_force("<img src=x onerror=alert(1)>");
  auto* w = a.add_warnings();
  w->set_area(v1::RESPONDING_TO_THE_PUBLIC);
  w->set_message("<i>warning</i>");
  ReportOptions options;
  options.generated_at = "<now>";
  std::string html = RenderAssessmentHtml(a, comparisons, options);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<b>at</b>")));
  EXPECT_THAT(html, Not(HasSubstr("<i>warning")));
  EXPECT_THAT(html, Not(HasSubstr("<Police>")));
  EXPECT_THAT(html, Not(HasSubstr("<now>")));
  EXPECT_THAT(html, HasSubstr("Calls &lt;script&gt;alert(&quot;x&quot;)&lt;/"
                              "script&gt; &amp; &#39;answered&#39;"));
  EXPECT_THAT(html,
              HasSubstr("<h1>PEEL assessment: Metropolitan &lt;Police&gt; "
                        "&amp; &quot;Service&quot;</h1>"));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr("Good &lt;b&gt;at&lt;/b&gt; prevention"));
  EXPECT_THAT(html, HasSubstr("&lt;i&gt;warning&lt;/i&gt;"));
  // The highlighted bar keeps its count with the odd slug among them.
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 86);
}

TEST(HtmlReportMissingForceTest, NoHighlightWhenTheForceIsNotCompared) {
  auto a = testing::MetAssessment();
  auto comparisons = testing::NationalComparisons();
  auto* forces = comparisons[1].mutable_forces();
  for (int i = 0; i < forces->size(); ++i) {
    if (forces->Get(i).force() == "metropolitan") {
      forces->DeleteSubrange(i, 1);
      break;
    }
  }
  auto* ex = comparisons[1].add_excluded();
  ex->set_force("metropolitan");
  ex->set_reason("no data for the period");
  std::string html = RenderAssessmentHtml(a, comparisons, {});
  auto charts = Blocks(html, "<svg class=\"chart\"", "</svg>");
  ASSERT_EQ(charts.size(), 2u);
  EXPECT_EQ(Count(charts[1], "<rect class=\"bar\""), 42);
  EXPECT_EQ(Count(charts[1], "data-highlighted"), 0);
  EXPECT_THAT(charts[1], HasSubstr("has no value in this comparison"));
  EXPECT_THAT(html, HasSubstr("is not in this comparison</strong> (no data for "
                              "the period)"));
}

TEST(HtmlReportEmptyTest, AnAssessmentWithoutComparisonsStillRenders) {
  v1::ForceAssessment a;
  a.mutable_force()->set_slug("kent");
  std::string html = RenderAssessmentHtml(a, {}, {});
  EXPECT_THAT(html, HasSubstr("<h1>PEEL assessment: Kent Police</h1>"));
  EXPECT_THAT(html, HasSubstr("No national comparisons were requested."));
  EXPECT_THAT(html, HasSubstr("No monitoring status is recorded"));
  EXPECT_EQ(Count(html, "<svg"), 0);
}

}  // namespace
}  // namespace peel::report
