#include "tools/peelctl/report/svg_chart.h"

#include <regex>
#include <string>

#include "gtest/gtest.h"

namespace peel::report {
namespace {

TEST(NiceAxisTest, StepsOfOneTwoTwoAndAHalfOrFive) {
  // 34.6 / 5 = 6.92 -> step 10, top 40.
  AxisScale a = NiceAxis(0, 34.6);
  EXPECT_DOUBLE_EQ(a.min, 0);
  EXPECT_DOUBLE_EQ(a.step, 10);
  EXPECT_DOUBLE_EQ(a.max, 40);
  // 0.95 / 5 = 0.19 -> step 0.2, top 1.0.
  a = NiceAxis(0.62, 0.95);
  EXPECT_DOUBLE_EQ(a.min, 0);
  EXPECT_NEAR(a.step, 0.2, 1e-12);
  EXPECT_NEAR(a.max, 1.0, 1e-12);
  // 11 / 5 = 2.2 -> step 2.5, top 12.5.
  a = NiceAxis(1, 11);
  EXPECT_DOUBLE_EQ(a.step, 2.5);
  EXPECT_DOUBLE_EQ(a.max, 12.5);
  // An exact multiple stays the top: 0.6 / 5 = 0.12 -> 0.2, top 0.6.
  a = NiceAxis(0, 0.6);
  EXPECT_NEAR(a.max, 0.6, 1e-12);
  // Negative values extend the axis below zero.
  a = NiceAxis(-3, 7);
  EXPECT_DOUBLE_EQ(a.step, 2);
  EXPECT_DOUBLE_EQ(a.min, -4);
  EXPECT_DOUBLE_EQ(a.max, 8);
  // All zero still gives a usable axis.
  a = NiceAxis(0, 0);
  EXPECT_GT(a.max, a.min);
}

TEST(SvgChartTest, BarHeightsAndLinesFollowTheAxis) {
  BarChart chart;
  chart.id = "c";
  chart.title = "t";
  chart.desc = "d";
  chart.unit = peel::gateway::v1::COUNT;
  chart.bars = {{"a", "A", 8, 1.5, false},
                {"b", "B", 5, 0, true},
                {"c", "C", 2, -1.5, false}};
  chart.mean = 5;
  chart.lower = 3;
  chart.upper = 7;
  chart.highlight_name = "B";
  std::string svg = RenderBarChartSvg(chart);
  // Axis 0..8 in steps of 2 (8 / 5 = 1.6 -> 2; 8 is a whole step); plot
  // from y=44 to y=330.
  auto y = [](double v) { return 44 + (8 - v) / 8 * (330 - 44); };
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      svg, m,
      std::regex("data-force=\"b\" data-highlighted=\"true\" x=\"([0-9.]+)\" "
                 "y=\"([0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"")));
  const double slot = (944.0 - 76.0) / 3;
  EXPECT_NEAR(std::stod(m[1]), 76 + slot + slot * 0.14, 0.01);
  EXPECT_NEAR(std::stod(m[2]), y(5), 0.01);
  EXPECT_NEAR(std::stod(m[3]), slot * 0.72, 0.01);
  EXPECT_NEAR(std::stod(m[4]), y(0) - y(5), 0.01);
  ASSERT_TRUE(std::regex_search(
      svg, m, std::regex("class=\"mean-line\"[^>]* y1=\"([0-9.]+)\"")));
  EXPECT_NEAR(std::stod(m[1]), y(5), 0.01);
  // Text in the chart is escaped.
  chart.title = "a <b> & \"c\"";
  svg = RenderBarChartSvg(chart);
  EXPECT_NE(svg.find("<title id=\"c-title\">a &lt;b&gt; &amp; &quot;c&quot;"),
            std::string::npos);
}

}  // namespace
}  // namespace peel::report
