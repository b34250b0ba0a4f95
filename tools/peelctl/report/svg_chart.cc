#include "tools/peelctl/report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/peelctl/report/html_text.h"

namespace peel::report {
namespace {

constexpr char kBarFill[] = "#b1b4b6";
constexpr char kHighlightFill[] = "#1d4f91";
constexpr char kInk[] = "#0b0c0c";

std::string N(double v) { return absl::StrFormat("%.2f", v); }

}  // namespace

AxisScale NiceAxis(double lo, double hi, int target_ticks) {
  lo = std::min(lo, 0.0);
  if (!std::isfinite(lo) || !std::isfinite(hi)) return AxisScale{};
  if (hi <= lo) hi = lo + 1;
  if (target_ticks < 1) target_ticks = 1;
  double raw = (hi - lo) / target_ticks;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / mag;
  double nice = 10;
  for (double candidate : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (norm <= candidate + 1e-9) {
      nice = candidate;
      break;
    }
  }
  AxisScale axis;
  axis.step = nice * mag;
  axis.max = std::ceil(hi / axis.step - 1e-9) * axis.step;
  axis.min = std::floor(lo / axis.step + 1e-9) * axis.step;
  if (axis.max <= axis.min) axis.max = axis.min + axis.step;
  return axis;
}

double ValueToY(const AxisScale& axis, double value) {
  using L = ChartLayout;
  return L::kPlotTop + (axis.max - value) / (axis.max - axis.min) *
                           (L::kPlotBottom - L::kPlotTop);
}

AxisScale ChartAxis(const BarChart& chart) {
  double lo = std::min({chart.mean, chart.lower, chart.upper});
  double hi = std::max({chart.mean, chart.lower, chart.upper});
  for (const ChartBar& b : chart.bars) {
    lo = std::min(lo, b.value);
    hi = std::max(hi, b.value);
  }
  return NiceAxis(lo, hi);
}

std::string RenderBarChartSvg(const BarChart& chart) {
  using L = ChartLayout;
  const AxisScale axis = ChartAxis(chart);
  const std::string title_id = absl::StrCat(chart.id, "-title");
  const std::string desc_id = absl::StrCat(chart.id, "-desc");
  std::string s;
  absl::StrAppend(&s, "<svg class=\"chart\" id=\"", chart.id,
                  "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ",
                  N(L::kWidth), " ", N(L::kHeight),
                  "\" role=\"img\" aria-labelledby=\"", title_id, " ", desc_id,
                  "\" font-family=\"Arial, Helvetica, sans-serif\">\n");
  absl::StrAppend(&s, "<title id=\"", title_id, "\">", HtmlEscape(chart.title),
                  "</title>\n<desc id=\"", desc_id, "\">",
                  HtmlEscape(chart.desc), "</desc>\n");

  // Grid and value axis.
  absl::StrAppend(&s, "<g class=\"axis\" aria-hidden=\"true\">\n");
  int ticks = static_cast<int>(std::lround((axis.max - axis.min) / axis.step));
  for (int i = 0; i <= ticks; ++i) {
    double v = axis.min + i * axis.step;
    double y = ValueToY(axis, v);
    absl::StrAppend(&s, "<line class=\"grid\" x1=\"", N(L::kPlotLeft),
                    "\" x2=\"", N(L::kPlotRight), "\" y1=\"", N(y), "\" y2=\"",
                    N(y), "\" stroke=\"#e5e6e7\" stroke-width=\"1\"/>\n");
    absl::StrAppend(&s, "<text x=\"", N(L::kPlotLeft - 8), "\" y=\"", N(y + 4),
                    "\" text-anchor=\"end\" font-size=\"12\" fill=\"", kInk,
                    "\">", HtmlEscape(FormatTick(v, axis.step, chart.unit)),
                    "</text>\n");
  }
  double y0 = ValueToY(axis, std::clamp(0.0, axis.min, axis.max));
  absl::StrAppend(&s, "<line x1=\"", N(L::kPlotLeft), "\" x2=\"",
                  N(L::kPlotRight), "\" y1=\"", N(y0), "\" y2=\"", N(y0),
                  "\" stroke=\"", kInk, "\" stroke-width=\"1\"/>\n");
  absl::StrAppend(&s, "<line x1=\"", N(L::kPlotLeft), "\" x2=\"",
                  N(L::kPlotLeft), "\" y1=\"", N(L::kPlotTop), "\" y2=\"",
                  N(L::kPlotBottom), "\" stroke=\"", kInk,
                  "\" stroke-width=\"1\"/>\n</g>\n");

  // Bars.
  const size_t n = chart.bars.size();
  const double slot = n > 0 ? (L::kPlotRight - L::kPlotLeft) / n : 0;
  const double width = slot * L::kBarFill;
  const ChartBar* highlighted = nullptr;
  double highlight_x = 0;
  absl::StrAppend(&s, "<g class=\"bars\">\n");
  for (size_t i = 0; i < n; ++i) {
    const ChartBar& b = chart.bars[i];
    double x = L::kPlotLeft + slot * i + (slot - width) / 2;
    double top = ValueToY(axis, std::max(b.value, 0.0));
    double bottom = ValueToY(axis, std::min(b.value, 0.0));
    absl::StrAppend(
        &s, "<rect class=\"bar\" data-force=\"", HtmlEscape(b.force), "\"",
        b.highlighted ? " data-highlighted=\"true\"" : "", " x=\"", N(x),
        "\" y=\"", N(top), "\" width=\"", N(width), "\" height=\"",
        N(bottom - top), "\" fill=\"",
        b.highlighted ? kHighlightFill : kBarFill, "\"",
        b.highlighted ? " stroke=\"#0b0c0c\" stroke-width=\"1\"" : "",
        "><title>", HtmlEscape(b.label), ": ",
        HtmlEscape(FormatValue(b.value, chart.unit)), "</title></rect>\n");
    if (b.highlighted && highlighted == nullptr) {
      highlighted = &b;
      highlight_x = x;
    }
  }
  absl::StrAppend(&s, "</g>\n");

  // The national lines, over the bars.
  double ym = ValueToY(axis, chart.mean);
  absl::StrAppend(&s, "<line class=\"mean-line\" x1=\"", N(L::kPlotLeft),
                  "\" x2=\"", N(L::kPlotRight), "\" y1=\"", N(ym), "\" y2=\"",
                  N(ym), "\" stroke=\"", kInk, "\" stroke-width=\"2\"/>\n");
  for (double v : {chart.lower, chart.upper}) {
    double y = ValueToY(axis, v);
    absl::StrAppend(&s, "<line class=\"sd-line\" x1=\"", N(L::kPlotLeft),
                    "\" x2=\"", N(L::kPlotRight), "\" y1=\"", N(y), "\" y2=\"",
                    N(y), "\" stroke=\"", kInk,
                    "\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/>\n");
  }

  // The assessed force's label: its name and value above its bar, with a
  // white halo so it stays legible over taller neighbours.
  if (highlighted != nullptr) {
    double cx = highlight_x + width / 2;
    double top = ValueToY(axis, std::max(highlighted->value, 0.0));
    double ty = std::max(top - 10, 14.0);
    const char* anchor = "middle";
    double tx = cx;
    if (cx < L::kPlotLeft + 180) {
      anchor = "start";
      tx = highlight_x;
    } else if (cx > L::kPlotRight - 180) {
      anchor = "end";
      tx = highlight_x + width;
    }
    absl::StrAppend(
        &s, "<text class=\"highlight-label\" x=\"", N(tx), "\" y=\"", N(ty),
        "\" text-anchor=\"", anchor,
        "\" font-size=\"13\" font-weight=\"bold\" fill=\"", kInk,
        "\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\">",
        "\u25BC ", HtmlEscape(highlighted->label), ": ",
        HtmlEscape(FormatValue(highlighted->value, chart.unit)), "</text>\n");
  }

  // The x axis caption and the legend.
  double ly = L::kPlotBottom + 24;
  absl::StrAppend(&s, "<text x=\"", N((L::kPlotLeft + L::kPlotRight) / 2),
                  "\" y=\"", N(ly),
                  "\" text-anchor=\"middle\" font-size=\"12\" "
                  "fill=\"",
                  kInk, "\">Forces in England and Wales (", n,
                  "), highest value first</text>\n");
  absl::StrAppend(&s, "<g class=\"legend\" font-size=\"12\" fill=\"", kInk,
                  "\">\n");
  double lx = L::kPlotLeft;
  double row1 = ly + 28;
  double row2 = ly + 52;
  if (!chart.highlight_name.empty()) {
    absl::StrAppend(&s, "<rect x=\"", N(lx), "\" y=\"", N(row1 - 10),
                    "\" width=\"14\" height=\"12\" fill=\"", kHighlightFill,
                    "\" stroke=\"#0b0c0c\"/><text x=\"", N(lx + 20), "\" y=\"",
                    N(row1), "\">", HtmlEscape(chart.highlight_name),
                    " (labelled \u25BC)</text>\n");
  }
  absl::StrAppend(&s, "<rect x=\"", N(lx + 440), "\" y=\"", N(row1 - 10),
                  "\" width=\"14\" height=\"12\" fill=\"", kBarFill,
                  "\"/><text x=\"", N(lx + 460), "\" y=\"", N(row1),
                  "\">Other forces</text>\n");
  absl::StrAppend(&s, "<line x1=\"", N(lx), "\" x2=\"", N(lx + 30), "\" y1=\"",
                  N(row2 - 4), "\" y2=\"", N(row2 - 4), "\" stroke=\"", kInk,
                  "\" stroke-width=\"2\"/><text x=\"", N(lx + 36), "\" y=\"",
                  N(row2), "\">", HtmlEscape(chart.mean_label), ": ",
                  HtmlEscape(FormatValue(chart.mean, chart.unit)), "</text>\n");
  absl::StrAppend(
      &s, "<line x1=\"", N(lx + 440), "\" x2=\"", N(lx + 470), "\" y1=\"",
      N(row2 - 4), "\" y2=\"", N(row2 - 4), "\" stroke=\"", kInk,
      "\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"/><text x=\"",
      N(lx + 476), "\" y=\"", N(row2),
      "\">Mean \u00B1 1 SD: ", HtmlEscape(FormatBare(chart.lower, chart.unit)),
      " to ", HtmlEscape(FormatBare(chart.upper, chart.unit)), "</text>\n");
  absl::StrAppend(&s, "</g>\n</svg>\n");
  return s;
}

}  // namespace peel::report
