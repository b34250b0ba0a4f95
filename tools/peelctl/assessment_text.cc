#include "tools/peelctl/assessment_text.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/peelctl/report/html_text.h"

namespace peel::peelctl {
namespace {

namespace v1 = ::peel::gateway::v1;
namespace cv1 = ::peel::common::v1;
using report::AreaName;
using report::BackendName;
using report::CountText;
using report::FindingKindName;
using report::FormatValue;
using report::GradeName;
using report::IntervalText;
using report::PeriodText;
using report::PositionWords;

std::string ForceTitle(const cv1::ForceRef& f) {
  if (f.name().empty()) return f.slug();
  return absl::StrCat(f.name(), " (", f.slug(), ")");
}

std::string RecordedGrade(const v1::AreaAssessment& a) {
  if (!a.has_recorded()) return "none recorded";
  return GradeName(a.recorded().grade());
}

// The summary table's last column.
std::string Notes(const v1::AreaAssessment& a) {
  std::vector<std::string> notes;
  if (a.differs()) notes.push_back("DIFFERS");
  if (!a.available()) notes.push_back("evidence unavailable");
  return absl::StrJoin(notes, ", ");
}

std::string UnavailableText(const v1::AreaAssessment& a) {
  std::vector<std::string> parts;
  for (const auto& u : a.unavailable()) {
    parts.push_back(absl::StrCat(BackendName(u.backend()), ": ", u.reason()));
  }
  return absl::StrJoin(parts, "; ");
}

void AppendFigure(const v1::KeyFigure& f, std::string* out) {
  const auto& e = f.estimate();
  absl::StrAppend(out, "      ", f.name().empty() ? f.metric() : f.name(), ": ",
                  FormatValue(e.value(), f.unit()));
  if (!f.wording().empty()) absl::StrAppend(out, " (", f.wording(), ")");
  absl::StrAppend(out, "\n");
  std::string interval = IntervalText(e, f.unit());
  std::string counts = CountText(e);
  if (interval != "—" || counts != "—") {
    absl::StrAppend(out, "        ", interval == "—" ? "" : interval,
                    interval != "—" && counts != "—" ? "; " : "",
                    counts == "—" ? "" : counts, "\n");
  }
  if (f.has_comparison()) {
    const auto& c = f.comparison();
    absl::StrAppend(out, "        nationally: ", PositionWords(c.position()),
                    " (z = ", absl::StrFormat("%.2f", c.z()), "; mean ",
                    FormatValue(c.mean(), f.unit()), ", 1 SD range ",
                    FormatValue(c.lower(), f.unit()), " to ",
                    FormatValue(c.upper(), f.unit()),
                    c.logged() ? ", log scale" : "", "; ", c.forces_compared(),
                    " forces)\n");
  } else if (!f.comparison_note().empty()) {
    absl::StrAppend(out, "        nationally: ", f.comparison_note(), "\n");
  }
}

void AppendArea(int n, const v1::AreaAssessment& a, std::string* out) {
  absl::StrAppend(out, "\n", n, ". ", AreaName(a),
                  a.graded() ? "" : " (ungraded)", "\n");
  if (a.has_recorded()) {
    const auto& j = a.recorded();
    absl::StrAppend(out, "   Recorded grade:   ", GradeName(j.grade()));
    if (!j.judged_on().empty()) absl::StrAppend(out, " (", j.judged_on(), ")");
    absl::StrAppend(out, "\n");
    if (!j.summary().empty()) {
      absl::StrAppend(out, "                     ", j.summary(), "\n");
    }
  } else if (a.graded()) {
    absl::StrAppend(out, "   Recorded grade:   none recorded\n");
  }
  absl::StrAppend(out,
                  "   Indicative grade: ", GradeName(a.indicative_grade()));
  if (!a.indicative_basis().empty()) {
    absl::StrAppend(out, " (", a.indicative_basis(), ")");
  }
  absl::StrAppend(out, "\n");
  if (a.differs()) {
    absl::StrAppend(out,
                    "   ** The indicative grade differs from the recorded "
                    "grade. **\n");
  }
  if (!a.available()) {
    absl::StrAppend(out, "   Evidence unavailable: ", UnavailableText(a), "\n");
  }
  if (a.figures_size() > 0) absl::StrAppend(out, "   Key figures:\n");
  for (const auto& f : a.figures()) AppendFigure(f, out);
  if (a.findings_size() > 0) absl::StrAppend(out, "   Findings:\n");
  for (const auto& f : a.findings()) {
    absl::StrAppend(out, "      ", FindingKindName(f.kind()), ": ", f.summary(),
                    "\n");
    for (const auto& r : f.recommendations()) {
      absl::StrAppend(out, "        - ", r.text());
      if (r.history_size() > 0) {
        absl::StrAppend(out, " [",
                        report::RecommendationStateName(
                            r.history(r.history_size() - 1).state()),
                        "]");
      }
      absl::StrAppend(out, "\n");
    }
  }
}

}  // namespace

std::string AssessmentText(const v1::ForceAssessment& a) {
  std::string out = absl::StrCat("PEEL assessment: ", ForceTitle(a.force()),
                                 "\nPeriod: ", PeriodText(a.period()));
  if (!a.policy_id().empty()) {
    absl::StrAppend(&out, "; grading policy ", a.policy_id());
  }
  // The summary table, as wide as the longest area name.
  std::vector<std::string> names;
  size_t width = 8;
  for (const auto& area : a.areas()) {
    names.push_back(absl::StrCat(names.size() + 1, ". ", AreaName(area)));
    width = std::max(width, names.back().size());
  }
  absl::StrAppend(
      &out, "\n\n",
      absl::StrFormat("%-*s  %-22s %-22s %s\n", width, "Area", "Recorded grade",
                      "Indicative grade", "Notes"));
  int n = 0;
  for (const auto& area : a.areas()) {
    const std::string& name = names[n++];
    absl::StrAppend(
        &out, absl::StrFormat("%-*s  %-22s %-22s %s\n", width, name,
                              area.graded() ? RecordedGrade(area) : "ungraded",
                              GradeName(area.indicative_grade()), Notes(area)));
  }
  n = 0;
  for (const auto& area : a.areas()) AppendArea(++n, area, &out);

  absl::StrAppend(&out, "\nMonitoring: ");
  if (a.has_monitoring()) {
    const auto& m = a.monitoring();
    absl::StrAppend(&out, report::MonitoringLevelName(m.level()));
    if (!m.since().empty()) absl::StrAppend(&out, " since ", m.since());
    absl::StrAppend(&out, "\n");
    for (const auto& r : m.reasons()) absl::StrAppend(&out, "  - ", r, "\n");
  } else {
    absl::StrAppend(&out, "none recorded\n");
  }

  absl::StrAppend(&out, "\nConsistency warnings: ",
                  a.warnings_size() == 0 ? "none" : "", "\n");
  for (const auto& w : a.warnings()) {
    absl::StrAppend(&out, "  - ", w.message(), "\n");
  }

  std::vector<std::string> down;
  for (const auto& area : a.areas()) {
    if (!area.available()) {
      down.push_back(
          absl::StrCat("  - ", AreaName(area), ": ", UnavailableText(area)));
    }
  }
  absl::StrAppend(&out, "\nUnavailable areas: ", down.empty() ? "none" : "",
                  "\n");
  for (const auto& d : down) absl::StrAppend(&out, d, "\n");
  if (!down.empty()) {
    absl::StrAppend(&out,
                    "  (a service the gateway needs did not answer: see "
                    "`peelctl status`; `peelctl up` starts what is down)\n");
  }
  if (a.backends_size() > 0) absl::StrAppend(&out, "\nBackends:\n");
  for (const auto& b : a.backends()) {
    absl::StrAppend(&out, "  ", BackendName(b.backend()), ": ",
                    !b.configured() ? "not configured"
                    : b.available() ? "available"
                                    : "UNAVAILABLE");
    if (!b.reason().empty()) absl::StrAppend(&out, " (", b.reason(), ")");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string ComparisonText(const v1::ForceComparison& c) {
  const auto& m = c.metric();
  const v1::Unit unit = m.unit();
  std::string out = absl::StrCat(
      "National comparison: ", m.name().empty() ? m.id() : m.name(), " (",
      m.id(), ")\nPeriod: ", PeriodText(c.period()), "; ", c.forces_size(),
      " forces compared", c.from_cache() ? " (cached)" : "", "\n");
  absl::StrAppend(&out,
                  absl::StrFormat("Shapiro-Wilk (raw values): W = %.4f, %s, "
                                  "n = %d\n",
                                  c.raw().w(), report::PValueText(c.raw().p()),
                                  c.raw().n()));
  if (c.log_tested()) {
    absl::StrAppend(
        &out, absl::StrFormat("Shapiro-Wilk (log values): W = %.4f, %s\n",
                              c.log().w(), report::PValueText(c.log().p())));
  }
  absl::StrAppend(
      &out, "Space used: ", c.logged() ? "log" : "raw",
      absl::StrFormat("; mean %.4g, SD %.4g in that space\n", c.mean(), c.sd()),
      "Average ", FormatValue(c.mean_value(), unit),
      "; dotted lines (±1 SD) at ", FormatValue(c.lower(), unit), " and ",
      FormatValue(c.upper(), unit), "\n\n");
  std::vector<const v1::ForceValue*> rows;
  for (const auto& f : c.forces()) rows.push_back(&f);
  std::stable_sort(rows.begin(), rows.end(), [](const auto* x, const auto* y) {
    return x->value() > y->value();
  });
  absl::StrAppend(&out, absl::StrFormat("  %-28s %24s %7s  %s\n", "Force",
                                        "Value", "z", "Position"));
  for (const auto* f : rows) {
    const char* flag = f->position() == v1::WELL_ABOVE   ? "well above"
                       : f->position() == v1::WELL_BELOW ? "well below"
                                                         : "";
    absl::StrAppend(
        &out, absl::StrFormat("  %-28s %24s %7.2f  %s\n", f->force(),
                              FormatValue(f->value(), unit), f->z(), flag));
  }
  if (c.excluded_size() > 0) absl::StrAppend(&out, "\nExcluded:\n");
  for (const auto& e : c.excluded()) {
    absl::StrAppend(&out, "  ", e.force(), ": ", e.reason(), "\n");
  }
  return out;
}

std::string MetricsText(const v1::ListMetricsResponse& r) {
  std::string out;
  for (const auto& m : r.metrics()) {
    std::vector<std::string> areas;
    for (int a : m.informs()) {
      areas.push_back(v1::Area_Name(static_cast<v1::Area>(a)));
    }
    absl::StrAppend(
        &out, m.id(), "\n    ", m.name(), "; ", v1::Unit_Name(m.unit()), ", ",
        v1::Polarity_Name(m.polarity()), ", from ", BackendName(m.source()),
        m.nationally_comparable() ? "; nationally comparable" : "",
        areas.empty() ? ""
                      : absl::StrCat("; informs ", absl::StrJoin(areas, ", ")),
        "\n");
  }
  return out;
}

}  // namespace peel::peelctl
