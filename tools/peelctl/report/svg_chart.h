// An inline SVG bar chart of one metric across every force, in the style of
// the inspectorate's national comparison charts ("Person stop and searches
// per 1,000 population throughout forces in England and Wales"): one bar per
// force, highest first, the assessed force in a distinct fill with a text
// label, a solid line at the national mean and dotted lines at mean ± 1 SD.
#pragma once

#include <string>
#include <vector>

#include "peel/gateway/v1/gateway.pb.h"

namespace peel::report {

// The chart's coordinate system (the SVG viewBox), in user units. Tests
// compute expected positions from these and the axis scale.
struct ChartLayout {
  static constexpr double kWidth = 960;
  static constexpr double kHeight = 430;
  static constexpr double kPlotLeft = 76;
  static constexpr double kPlotRight = 944;
  static constexpr double kPlotTop = 44;  // room for the highlight's label
  static constexpr double kPlotBottom = 330;
  // Share of each force's slot the bar fills.
  static constexpr double kBarFill = 0.72;
};

// A value axis from `min` to `max` in whole steps.
struct AxisScale {
  double min = 0;
  double max = 1;
  double step = 0.2;
};

// The smallest axis that starts at or below min(lo, 0), ends at or above hi,
// and steps by 1, 2, 2.5 or 5 × 10^k into about `target_ticks` intervals.
AxisScale NiceAxis(double lo, double hi, int target_ticks = 5);

// The y coordinate of `value` on `axis`.
double ValueToY(const AxisScale& axis, double value);

struct ChartBar {
  std::string force;  // slug
  std::string label;  // display name
  double value = 0;
  double z = 0;
  bool highlighted = false;
};

struct BarChart {
  std::string id;     // unique in the page, [a-z0-9-]
  std::string title;  // the <title> (plain text; escaped on output)
  std::string desc;   // the <desc> text alternative (plain text)
  peel::gateway::v1::Unit unit = peel::gateway::v1::UNIT_UNSPECIFIED;
  std::vector<ChartBar> bars;  // drawn in this order, left to right
  double mean = 0;             // value scale
  double lower = 0;            // mean − 1 SD (value scale)
  double upper = 0;            // mean + 1 SD (value scale)
  std::string highlight_name;  // for the legend ("" when none)
  std::string mean_label = "Mean of all forces";
};

// The axis the chart uses: over the bars' values and the three lines.
AxisScale ChartAxis(const BarChart& chart);

// <svg role="img" aria-labelledby=...> with <title> and <desc>; every bar is
// `<rect class="bar" ...>` with `data-highlighted="true"` on the assessed
// force's; lines are `<line class="mean-line">` and `<line class="sd-line">`.
std::string RenderBarChartSvg(const BarChart& chart);

}  // namespace peel::report
