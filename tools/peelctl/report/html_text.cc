#include "tools/peelctl/report/html_text.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"

namespace peel::report {

namespace v1 = peel::gateway::v1;
namespace cv1 = peel::common::v1;
using peel::common::v1::Grade;

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string IdFragment(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty()) out = "x";
  return out;
}

std::string FormatNumber(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  std::string digits = absl::StrFormat("%.*f", decimals, value);
  // "-0.0" reads as a defect in a report.
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) {
    bool all_zero = true;
    for (char c : digits) {
      if (c >= '1' && c <= '9') all_zero = false;
    }
    digits.erase(0, 1);
    if (all_zero) negative = false;
  }
  size_t point = digits.find('.');
  std::string whole = digits.substr(0, point);
  std::string frac = point == std::string::npos ? "" : digits.substr(point);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return absl::StrCat(negative ? "-" : "", grouped, frac);
}

std::string FormatBare(double value, v1::Unit unit) {
  switch (unit) {
    case v1::PROPORTION:
      return absl::StrCat(FormatNumber(value * 100, 1), "%");
    case v1::COUNT:
      return FormatNumber(value,
                          std::fabs(value - std::round(value)) < 1e-9 ? 0 : 1);
    case v1::PER_1000_POPULATION:
    case v1::DAYS:
      return FormatNumber(value, 1);
    default:
      return FormatNumber(value, 2);
  }
}

std::string FormatValue(double value, v1::Unit unit) {
  switch (unit) {
    case v1::PER_1000_POPULATION:
      return absl::StrCat(FormatBare(value, unit), " per 1,000 population");
    case v1::DAYS:
      return absl::StrCat(FormatBare(value, unit), " days");
    default:
      return FormatBare(value, unit);
  }
}

std::string FormatTick(double value, double step, v1::Unit unit) {
  double scale = unit == v1::PROPORTION ? 100 : 1;
  double shown = step * scale;
  int decimals = 0;
  while (decimals < 6 &&
         std::fabs(shown * std::pow(10, decimals) -
                   std::round(shown * std::pow(10, decimals))) > 1e-6) {
    ++decimals;
  }
  std::string n = FormatNumber(value * scale, decimals);
  return unit == v1::PROPORTION ? absl::StrCat(n, "%") : n;
}

std::string UnitWords(v1::Unit unit) {
  switch (unit) {
    case v1::PROPORTION:
      return "%";
    case v1::PER_1000_POPULATION:
      return "per 1,000 population";
    case v1::DAYS:
      return "days";
    case v1::COUNT:
      return "count";
    default:
      return "";
  }
}

std::string GradeName(Grade grade) {
  switch (grade) {
    case peel::common::v1::OUTSTANDING:
      return "Outstanding";
    case peel::common::v1::GOOD:
      return "Good";
    case peel::common::v1::ADEQUATE:
      return "Adequate";
    case peel::common::v1::REQUIRES_IMPROVEMENT:
      return "Requires improvement";
    case peel::common::v1::INADEQUATE:
      return "Inadequate";
    case peel::common::v1::UNGRADED:
      return "Ungraded";
    case peel::common::v1::NOT_YET_ASSESSED:
      return "Not yet assessed";
    default:
      return "Not recorded";
  }
}

std::string GradeClass(Grade grade) { return IdFragment(GradeName(grade)); }

std::string PositionWords(v1::Position position) {
  switch (position) {
    case v1::WELL_ABOVE:
      return "well above average";
    case v1::WELL_BELOW:
      return "well below average";
    case v1::WITHIN:
      return "within one standard deviation of the average";
    default:
      return "not placed";
  }
}

std::string FindingKindName(v1::FindingKind kind) {
  switch (kind) {
    case v1::CAUSE_OF_CONCERN:
      return "Cause of concern";
    case v1::AREA_FOR_IMPROVEMENT:
      return "Area for improvement";
    case v1::INNOVATIVE_PRACTICE:
      return "Innovative practice";
    case v1::PROMISING_PRACTICE:
      return "Promising practice";
    default:
      return "Finding";
  }
}

std::string RecommendationStateName(v1::RecommendationState s) {
  switch (s) {
    case v1::OPEN:
      return "open";
    case v1::IN_PROGRESS:
      return "in progress";
    case v1::COMPLETED:
      return "completed";
    case v1::WITHDRAWN:
      return "withdrawn";
    default:
      return "no status recorded";
  }
}

std::string MonitoringLevelName(v1::MonitoringLevel level) {
  switch (level) {
    case v1::SCAN:
      return "Scan (routine monitoring)";
    case v1::ENGAGE:
      return "Engage (enhanced monitoring)";
    default:
      return "Not recorded";
  }
}

std::string BackendName(v1::Backend backend) {
  switch (backend) {
    case v1::CRIME_RECORDING:
      return "crime recording";
    case v1::VICTIM_SERVICE:
      return "victim service";
    case v1::WORKFORCE:
      return "workforce";
    case v1::SOC_DISRUPTIONS:
      return "serious organised crime disruptions";
    default:
      return "unknown service";
  }
}

std::string ForceName(absl::string_view slug) {
  const reference::Force* f = reference::FindForce(slug);
  return f != nullptr ? std::string(f->name) : std::string(slug);
}

std::string PeriodText(const cv1::Period& p) {
  if (p.start_date().empty() && p.end_date().empty()) return "latest data";
  return absl::StrCat(p.start_date(), " to ", p.end_date());
}

std::string PValueText(double p) {
  if (p < 0.001) return "p < 0.001";
  return absl::StrFormat("p = %.3f", p);
}

std::string AreaName(const v1::AreaAssessment& a) {
  if (!a.name().empty()) return a.name();
  return v1::Area_Name(a.area());
}

std::string IntervalText(const cv1::Estimate& e, v1::Unit unit) {
  const bool has_interval = e.has_interval() && (e.interval().lower() != 0 ||
                                                 e.interval().upper() != 0);
  if (!has_interval || e.method() == cv1::INTERVAL_METHOD_NONE) return "—";
  std::string range =
      absl::StrCat(FormatBare(e.interval().lower(), unit), " to ",
                   FormatBare(e.interval().upper(), unit));
  switch (e.method()) {
    case cv1::INTERVAL_METHOD_WALD:
    case cv1::INTERVAL_METHOD_STRATIFIED_WALD: {
      std::string pm = unit == v1::PROPORTION
                           ? absl::StrCat(FormatNumber(e.half_width() * 100, 1),
                                          " percentage points")
                           : FormatBare(e.half_width(), unit);
      return absl::StrCat(
          "± ", pm, " (", range, "; ",
          e.method() == cv1::INTERVAL_METHOD_WALD ? "Wald" : "stratified Wald",
          ")");
    }
    case cv1::INTERVAL_METHOD_WILSON:
      return absl::StrCat(range, " (Wilson)");
    default:
      return range;
  }
}

std::string CountText(const cv1::Estimate& e) {
  if (e.ratio().denominator() > 0) {
    return absl::StrCat(FormatNumber(e.ratio().numerator(), 0), " of ",
                        FormatNumber(e.ratio().denominator(), 0));
  }
  if (e.sample_size() > 0) {
    return absl::StrCat("sample of ", FormatNumber(e.sample_size(), 0));
  }
  return "—";
}

}  // namespace peel::report
