#include "tools/peelctl/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/peelctl/report/html_text.h"
#include "tools/peelctl/report/svg_chart.h"

namespace peel::report {
namespace {

namespace v1 = peel::gateway::v1;
namespace cv1 = peel::common::v1;

using E = std::string (*)(absl::string_view);
constexpr E Esc = &HtmlEscape;

// Grades carry their name in text; colour only repeats it.
constexpr char kStyle[] = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 16px;
  line-height: 1.45; color: #0b0c0c; background: #ffffff; }
header.page, main, footer.page { max-width: 1220px; margin: 0 auto;
  padding: 0 24px; }
header.page { padding-top: 24px; padding-bottom: 8px;
  border-bottom: 8px solid #0b0c0c; }
h1 { font-size: 32px; margin: 0 0 8px; }
h2 { font-size: 26px; margin: 40px 0 12px; padding-top: 8px;
  border-top: 2px solid #b1b4b6; }
h3 { font-size: 21px; margin: 28px 0 8px; }
h4 { font-size: 18px; margin: 18px 0 6px; }
h5 { font-size: 16px; margin: 14px 0 4px; }
a { color: #1d70b8; }
a:focus, [tabindex]:focus { outline: 3px solid #ffdd00; }
.meta { color: #505a5f; font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 4px 8px;
  text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #0b0c0c; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.grade { display: inline-block; padding: 1px 8px; border: 2px solid #0b0c0c;
  font-weight: bold; white-space: nowrap; }
.grade-outstanding { background: #005a30; color: #ffffff; }
.grade-good { background: #00703c; color: #ffffff; }
.grade-adequate { background: #ffdd00; color: #0b0c0c; }
.grade-requires-improvement { background: #f47738; color: #0b0c0c; }
.grade-inadequate { background: #d4351c; color: #ffffff; }
.grade-ungraded, .grade-not-yet-assessed, .grade-not-recorded {
  background: #ffffff; color: #0b0c0c; border-style: dashed; }
.flag { font-weight: bold; white-space: nowrap; }
.flag-differs { color: #942514; }
.notice { border-left: 6px solid #d4351c; padding: 8px 12px;
  background: #fdf2f0; }
.monitoring-engage { border-left-color: #d4351c; }
.monitoring-scan { border-left-color: #1d70b8; background: #f3f6fa; }
dl.grades { display: grid; grid-template-columns: 15em 1fr; gap: 4px 12px;
  margin: 8px 0; }
dl.grades dt { font-weight: bold; }
dl.grades dd { margin: 0; }
.finding { margin-bottom: 10px; }
.finding p { margin: 2px 0; }
.chart-and-table { display: flex; flex-wrap: wrap; gap: 16px;
  align-items: flex-start; }
.chart-wrap { flex: 1 1 700px; min-width: 0; }
.chart-wrap svg { width: 100%; height: auto; display: block; }
.table-wrap { flex: 0 1 400px; max-height: 460px; overflow: auto;
  border: 1px solid #b1b4b6; }
.table-wrap table { font-size: 13px; }
.table-wrap thead th { position: sticky; top: 0; background: #ffffff; }
tr[data-highlighted] { background: #dbe6f4; font-weight: bold; }
footer.page { margin-top: 40px; padding-top: 12px; padding-bottom: 24px;
  border-top: 2px solid #b1b4b6; }
)css";

std::string Badge(cv1::Grade grade) {
  return absl::StrCat("<span class=\"grade grade-", GradeClass(grade), "\">",
                      Esc(GradeName(grade)), "</span>");
}

std::string AreaId(const v1::AreaAssessment& a) {
  return absl::StrCat("area-", IdFragment(v1::Area_Name(a.area())));
}

std::string ChartId(absl::string_view metric) {
  return absl::StrCat("chart-", IdFragment(metric));
}

std::string ZText(double z) { return absl::StrFormat("%.2f", z); }

std::string ProvenanceText(const cv1::Provenance& p) {
  std::string out;
  if (!p.dataset().empty()) absl::StrAppend(&out, Esc(p.dataset()));
  if (!p.service().empty()) {
    absl::StrAppend(&out, out.empty() ? "" : " ", "<span class=\"meta\">(",
                    Esc(p.service()), ")</span>");
  }
  if (p.has_period()) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", Esc(PeriodText(p.period())));
  }
  if (!p.method().empty()) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", Esc(p.method()));
  }
  return out.empty() ? "—" : out;
}

class Page {
 public:
  Page(const v1::ForceAssessment& a,
       const std::vector<v1::ForceComparison>& comparisons,
       const ReportOptions& options)
      : a_(a), comparisons_(comparisons), options_(options) {
    force_name_ = a.force().name().empty() ? ForceName(a.force().slug())
                                           : a.force().name();
    for (const auto& c : comparisons_) {
      if (!charted_.count(c.metric().id())) {
        charted_[c.metric().id()] = ChartId(c.metric().id());
        metric_names_[c.metric().id()] = c.metric().name();
      }
    }
    for (const auto& area : a_.areas()) {
      for (const auto& f : area.figures()) {
        metric_names_.emplace(f.metric(), f.name());
      }
    }
  }

  std::string Render() {
    std::string title = options_.title.empty()
                            ? absl::StrCat("PEEL assessment: ", force_name_)
                            : options_.title;
    absl::StrAppend(&out_,
                    "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\">\n<title>",
                    Esc(title), "</title>\n<style>", kStyle,
                    "</style>\n</head>\n<body>\n<header class=\"page\">\n<h1>",
                    Esc(title), "</h1>\n<p>");
    absl::StrAppend(&out_, "<strong>", Esc(force_name_), "</strong>");
    if (!a_.force().region().empty()) {
      absl::StrAppend(&out_, " · ", Esc(a_.force().region()));
    }
    if (a_.force().population_mid2020() > 0) {
      absl::StrAppend(&out_, " · population ",
                      FormatNumber(a_.force().population_mid2020(), 0),
                      " (ONS mid-2020)");
    }
    absl::StrAppend(&out_,
                    "<br>Assessment period: ", Esc(PeriodText(a_.period())));
    if (!a_.policy_id().empty()) {
      absl::StrAppend(&out_, " · grading policy ", Esc(a_.policy_id()));
    }
    absl::StrAppend(&out_, "</p>\n</header>\n<main>\n");
    Summary();
    Monitoring();
    Warnings();
    // The charts come before the eleven areas' detail: they are what a
    // reader scans first, and they then fall in the first screenful or two.
    Comparisons();
    Areas();
    About();
    absl::StrAppend(&out_,
                    "</main>\n<footer class=\"page\">\n<p class=\"meta\">");
    absl::StrAppend(&out_,
                    "Recorded grades are inspectors' judgments; indicative "
                    "grades are computed from the figures by the grading "
                    "policy and are not judgments.");
    if (!options_.generated_at.empty()) {
      absl::StrAppend(&out_, " Generated ", Esc(options_.generated_at), ".");
    }
    if (!options_.source.empty()) {
      absl::StrAppend(&out_, " Source: ", Esc(options_.source), ".");
    }
    absl::StrAppend(&out_, "</p>\n</footer>\n</body>\n</html>\n");
    return std::move(out_);
  }

 private:
  std::string RecordedBadge(const v1::AreaAssessment& area) {
    if (area.has_recorded()) return Badge(area.recorded().grade());
    if (!area.graded()) return Badge(cv1::UNGRADED);
    return Badge(cv1::GRADE_UNSPECIFIED);
  }

  std::string DiffFlag(const v1::AreaAssessment& area) {
    if (area.differs()) {
      return "<span class=\"flag flag-differs\">\u2260 Differs</span>";
    }
    if (!area.has_recorded() || !area.graded()) {
      return "<span class=\"flag flag-none\">\u2014 Nothing to compare</span>";
    }
    if (area.indicative_grade() == cv1::NOT_YET_ASSESSED ||
        area.indicative_grade() == cv1::GRADE_UNSPECIFIED) {
      return "<span class=\"flag flag-none\">\u2014 No indicative grade</span>";
    }
    return "<span class=\"flag flag-agrees\">= Agrees</span>";
  }

  void Summary() {
    absl::StrAppend(
        &out_,
        "<section id=\"summary\" aria-labelledby=\"summary-h\">\n"
        "<h2 id=\"summary-h\">Grades in the eleven areas</h2>\n<table>\n"
        "<caption>Recorded and indicative grades by area</caption>\n<thead>"
        "<tr><th scope=\"col\">Area</th><th scope=\"col\">Recorded grade</th>"
        "<th scope=\"col\">Indicative grade</th>"
        "<th scope=\"col\">Recorded compared with indicative</th></tr>"
        "</thead>\n<tbody>\n");
    for (const auto& area : a_.areas()) {
      absl::StrAppend(
          &out_, "<tr class=\"area-row\"><th scope=\"row\"><a href=\"#",
          AreaId(area), "\">", Esc(AreaName(area)), "</a></th><td>",
          RecordedBadge(area), "</td><td>", Badge(area.indicative_grade()),
          "</td><td>", DiffFlag(area), "</td></tr>\n");
    }
    absl::StrAppend(&out_, "</tbody>\n</table>\n</section>\n");
  }

  void Monitoring() {
    absl::StrAppend(
        &out_,
        "<section id=\"monitoring\" aria-labelledby=\"monitoring-h\">"
        "\n<h2 id=\"monitoring-h\">Monitoring status</h2>\n");
    if (!a_.has_monitoring() ||
        a_.monitoring().level() == v1::MONITORING_LEVEL_UNSPECIFIED) {
      absl::StrAppend(
          &out_, "<p>No monitoring status is recorded for this force.</p>\n");
    } else {
      const auto& m = a_.monitoring();
      absl::StrAppend(
          &out_, "<div class=\"notice monitoring-",
          m.level() == v1::ENGAGE ? "engage" : "scan", "\"><p><strong>",
          Esc(MonitoringLevelName(m.level())), "</strong>",
          m.since().empty() ? "" : absl::StrCat(" since ", Esc(m.since())),
          ".</p>\n");
      if (m.reasons_size() > 0) {
        absl::StrAppend(&out_, "<ul>\n");
        for (const auto& r : m.reasons()) {
          absl::StrAppend(&out_, "<li>", Esc(r), "</li>\n");
        }
        absl::StrAppend(&out_, "</ul>\n");
      }
      absl::StrAppend(&out_, "</div>\n");
    }
    absl::StrAppend(&out_, "</section>\n");
  }

  void Warnings() {
    if (a_.warnings_size() == 0) return;
    absl::StrAppend(&out_,
                    "<section id=\"warnings\" aria-labelledby=\"warnings-h\">\n"
                    "<h2 id=\"warnings-h\">Consistency warnings</h2>\n<ul>\n");
    for (const auto& w : a_.warnings()) {
      std::string area = v1::Area_Name(w.area());
      for (const auto& ar : a_.areas()) {
        if (ar.area() == w.area()) area = AreaName(ar);
      }
      absl::StrAppend(&out_, "<li><strong>", Esc(area), ":</strong> ",
                      Esc(w.message()), "</li>\n");
    }
    absl::StrAppend(&out_, "</ul>\n</section>\n");
  }

  void Areas() {
    absl::StrAppend(&out_,
                    "<section id=\"areas\" aria-labelledby=\"areas-h\">\n"
                    "<h2 id=\"areas-h\">Findings by area</h2>\n");
    for (const auto& area : a_.areas()) Area(area);
    absl::StrAppend(&out_, "</section>\n");
  }

  void Area(const v1::AreaAssessment& area) {
    const std::string id = AreaId(area);
    absl::StrAppend(&out_, "<section class=\"area\" id=\"", id,
                    "\" aria-labelledby=\"", id, "-h\">\n<h3 id=\"", id,
                    "-h\">", Esc(AreaName(area)),
                    "</h3>\n<dl class=\"grades\">\n");
    absl::StrAppend(&out_, "<dt>Recorded grade</dt><dd>", RecordedBadge(area));
    if (area.has_recorded()) {
      const auto& j = area.recorded();
      std::string meta;
      if (!j.judged_on().empty())
        absl::StrAppend(&meta, "judged ", Esc(j.judged_on()));
      if (!j.source().empty()) {
        absl::StrAppend(&meta, meta.empty() ? "" : "; ", Esc(j.source()));
      }
      if (!meta.empty())
        absl::StrAppend(&out_, " <span class=\"meta\">", meta, "</span>");
    } else if (!area.graded()) {
      absl::StrAppend(&out_,
                      " <span class=\"meta\">this area is not graded</span>");
    } else {
      absl::StrAppend(&out_,
                      " <span class=\"meta\">no judgment recorded</span>");
    }
    absl::StrAppend(&out_, "</dd>\n<dt>Indicative grade</dt><dd>",
                    Badge(area.indicative_grade()));
    if (!area.indicative_basis().empty()) {
      absl::StrAppend(&out_, " <span class=\"meta\">",
                      Esc(area.indicative_basis()), "</span>");
    }
    absl::StrAppend(&out_,
                    "</dd>\n<dt>Recorded compared with indicative</dt><dd>",
                    DiffFlag(area), "</dd>\n</dl>\n");
    if (area.has_recorded() && !area.recorded().summary().empty()) {
      absl::StrAppend(&out_, "<p class=\"judgment\">",
                      Esc(area.recorded().summary()), "</p>\n");
    }
    if (!area.available() && area.unavailable_size() > 0) {
      absl::StrAppend(
          &out_, "<p class=\"notice\"><strong>Evidence incomplete:</strong> ");
      bool first = true;
      for (const auto& u : area.unavailable()) {
        absl::StrAppend(&out_, first ? "" : "; ", "the ",
                        Esc(BackendName(u.backend())),
                        " service did not answer (", Esc(u.reason()), ")");
        first = false;
      }
      absl::StrAppend(&out_, ".</p>\n");
    }
    Figures(area);
    Findings(area);
    absl::StrAppend(&out_, "</section>\n");
  }

  void Figures(const v1::AreaAssessment& area) {
    const std::string id = AreaId(area);
    absl::StrAppend(&out_, "<h4 id=\"", id, "-figures\">Key figures</h4>\n");
    if (area.figures_size() == 0) {
      absl::StrAppend(&out_, "<p>No figures: ",
                      area.evidence_from_size() == 0
                          ? "this area rests on recorded judgments."
                          : "no data for this force and period.",
                      "</p>\n");
      return;
    }
    absl::StrAppend(&out_, "<table class=\"figures\" aria-labelledby=\"", id,
                    "-figures\">\n<thead><tr><th scope=\"col\">Figure</th>"
                    "<th scope=\"col\" class=\"num\">Value</th>"
                    "<th scope=\"col\" class=\"num\">Count</th>"
                    "<th scope=\"col\">95% confidence interval</th>"
                    "<th scope=\"col\">Compared with all forces</th>"
                    "<th scope=\"col\">Source</th></tr></thead>\n<tbody>\n");
    for (const auto& f : area.figures()) {
      const auto& e = f.estimate();
      absl::StrAppend(&out_, "<tr class=\"figure-row\"><th scope=\"row\">",
                      Esc(f.name().empty() ? f.metric() : f.name()),
                      "</th><td class=\"num\">",
                      Esc(FormatValue(e.value(), f.unit())));
      if (!f.wording().empty()) {
        absl::StrAppend(&out_, "<br><span class=\"meta\">(", Esc(f.wording()),
                        ")</span>");
      }
      absl::StrAppend(&out_, "</td><td class=\"num\">", Esc(CountText(e)),
                      "</td><td>", Esc(IntervalText(e, f.unit())), "</td><td>");
      if (f.has_comparison()) {
        const auto& c = f.comparison();
        absl::StrAppend(
            &out_, "<strong>", Esc(PositionWords(c.position())),
            "</strong> (z = ", ZText(c.z()), ")<br><span class=\"meta\">mean ",
            Esc(FormatBare(c.mean(), f.unit())), ", lines ",
            Esc(FormatBare(c.lower(), f.unit())), " to ",
            Esc(FormatBare(c.upper(), f.unit())), "; ", c.forces_compared(),
            " forces", c.logged() ? "; compared on a log scale" : "",
            "</span>");
        auto it = charted_.find(f.metric());
        if (it != charted_.end()) {
          absl::StrAppend(&out_, "<br><a href=\"#", it->second,
                          "-section\">See the chart</a>");
        }
      } else if (!f.comparison_note().empty()) {
        absl::StrAppend(&out_, "<span class=\"meta\">Not compared: ",
                        Esc(f.comparison_note()), "</span>");
      } else {
        absl::StrAppend(&out_, "—");
      }
      absl::StrAppend(&out_, "</td><td>", ProvenanceText(e.provenance()),
                      "</td></tr>\n");
    }
    absl::StrAppend(&out_, "</tbody>\n</table>\n");
  }

  void Findings(const v1::AreaAssessment& area) {
    const std::string id = AreaId(area);
    absl::StrAppend(&out_, "<h4 id=\"", id, "-findings\">Findings</h4>\n");
    if (area.findings_size() == 0) {
      absl::StrAppend(&out_, "<p>No findings recorded.</p>\n");
      return;
    }
    const std::pair<v1::FindingKind, const char*> kinds[] = {
        {v1::CAUSE_OF_CONCERN, "Causes of concern"},
        {v1::AREA_FOR_IMPROVEMENT, "Areas for improvement"},
        {v1::INNOVATIVE_PRACTICE, "Innovative practice"},
        {v1::PROMISING_PRACTICE, "Promising practice"},
        {v1::FINDING_KIND_UNSPECIFIED, "Other findings"},
    };
    for (const auto& [kind, heading] : kinds) {
      std::vector<const v1::Finding*> of_kind;
      for (const auto& f : area.findings()) {
        bool known = f.kind() >= v1::CAUSE_OF_CONCERN &&
                     f.kind() <= v1::PROMISING_PRACTICE;
        if (f.kind() == kind ||
            (kind == v1::FINDING_KIND_UNSPECIFIED && !known)) {
          of_kind.push_back(&f);
        }
      }
      if (of_kind.empty()) continue;
      absl::StrAppend(&out_, "<h5>", heading, " (", of_kind.size(),
                      ")</h5>\n<ul class=\"findings\">\n");
      for (const v1::Finding* f : of_kind) Finding(*f);
      absl::StrAppend(&out_, "</ul>\n");
    }
  }

  void Finding(const v1::Finding& f) {
    absl::StrAppend(&out_, "<li class=\"finding finding-",
                    IdFragment(FindingKindName(f.kind())), "\"><p><strong>",
                    Esc(FindingKindName(f.kind())), ":</strong> ",
                    Esc(f.summary()), "</p>\n");
    std::string meta;
    if (!f.recorded_on().empty())
      absl::StrAppend(&meta, "recorded ", Esc(f.recorded_on()));
    if (!f.source().empty())
      absl::StrAppend(&meta, meta.empty() ? "" : "; ", Esc(f.source()));
    if (f.evidence_metrics_size() > 0) {
      absl::StrAppend(&meta, meta.empty() ? "" : "; ", "evidence: ");
      bool first = true;
      for (const auto& m : f.evidence_metrics()) {
        auto name = metric_names_.find(m);
        std::string text = Esc(
            name != metric_names_.end() && !name->second.empty() ? name->second
                                                                 : m);
        auto chart = charted_.find(m);
        absl::StrAppend(&meta, first ? "" : ", ",
                        chart != charted_.end()
                            ? absl::StrCat("<a href=\"#", chart->second,
                                           "-section\">", text, "</a>")
                            : text);
        first = false;
      }
    }
    if (!meta.empty())
      absl::StrAppend(&out_, "<p class=\"meta\">", meta, "</p>\n");
    if (f.recommendations_size() > 0) {
      absl::StrAppend(
          &out_, "<p>Recommendations:</p>\n<ol class=\"recommendations\">\n");
      for (const auto& r : f.recommendations()) {
        absl::StrAppend(&out_, "<li>", Esc(r.text()));
        std::string status;
        if (!r.due_date().empty())
          absl::StrAppend(&status, "due ", Esc(r.due_date()));
        if (r.history_size() > 0) {
          const auto& last = r.history(r.history_size() - 1);
          absl::StrAppend(&status, status.empty() ? "" : "; ", "status: ",
                          Esc(RecommendationStateName(last.state())));
          if (!last.as_of().empty())
            absl::StrAppend(&status, " as of ", Esc(last.as_of()));
          if (!last.note().empty())
            absl::StrAppend(&status, " (", Esc(last.note()), ")");
        } else {
          absl::StrAppend(&status, status.empty() ? "" : "; ",
                          "no status recorded");
        }
        absl::StrAppend(&out_, " <span class=\"meta\">", status,
                        "</span></li>\n");
      }
      absl::StrAppend(&out_, "</ol>\n");
    } else if (f.kind() == v1::CAUSE_OF_CONCERN) {
      absl::StrAppend(&out_,
                      "<p class=\"meta\">No recommendation recorded.</p>\n");
    }
    absl::StrAppend(&out_, "</li>\n");
  }

  void Comparisons() {
    absl::StrAppend(
        &out_,
        "<section id=\"comparisons\" aria-labelledby=\"comparisons-h\">\n"
        "<h2 id=\"comparisons-h\">National comparisons</h2>\n"
        "<p>Each chart shows one value per force in England and Wales, "
        "highest first, with ",
        Esc(force_name_),
        " highlighted and labelled. The solid line is the unweighted mean of "
        "all forces; the dotted lines are one standard deviation either side "
        "of it. A force more than one standard deviation from the mean is "
        "well above or well below average. Above or below is not better or "
        "worse: each chart says which way is better.</p>\n");
    if (comparisons_.empty()) {
      absl::StrAppend(&out_,
                      "<p>No national comparisons were requested.</p>\n");
    }
    std::map<std::string, int> seen;
    for (const auto& c : comparisons_) {
      std::string id = ChartId(c.metric().id());
      int n = seen[id]++;
      if (n > 0) absl::StrAppend(&id, "-", n + 1);
      Comparison(c, id);
    }
    absl::StrAppend(&out_, "</section>\n");
  }

  void Comparison(const v1::ForceComparison& c, const std::string& id) {
    const v1::Unit unit = c.metric().unit();
    const std::string& slug = a_.force().slug();
    const std::string metric_name =
        c.metric().name().empty() ? c.metric().id() : c.metric().name();

    BarChart chart;
    chart.id = id;
    chart.unit = unit;
    chart.mean = c.mean_value();
    chart.lower = c.lower();
    chart.upper = c.upper();
    const v1::ForceValue* mine = nullptr;
    std::vector<const v1::ForceValue*> sorted;
    for (const auto& fv : c.forces()) sorted.push_back(&fv);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const v1::ForceValue* x, const v1::ForceValue* y) {
                       if (x->value() != y->value())
                         return x->value() > y->value();
                       return x->force() < y->force();
                     });
    for (const v1::ForceValue* fv : sorted) {
      ChartBar bar;
      bar.force = fv->force();
      bar.label = fv->force() == slug ? force_name_ : ForceName(fv->force());
      bar.value = fv->value();
      bar.z = fv->z();
      bar.highlighted = fv->force() == slug && mine == nullptr;
      if (bar.highlighted) mine = fv;
      chart.bars.push_back(std::move(bar));
    }
    if (mine != nullptr) chart.highlight_name = force_name_;

    std::string period = PeriodText(c.period());
    chart.title = absl::StrCat(
        metric_name, " throughout forces in England and Wales (", period, ")");
    std::string desc =
        absl::StrCat("Bar chart of ", metric_name, " for ", sorted.size(),
                     " forces in England and Wales, highest first. ");
    if (mine != nullptr) {
      absl::StrAppend(&desc, force_name_,
                      " (highlighted): ", FormatValue(mine->value(), unit),
                      ", ", PositionWords(mine->position()),
                      " (z = ", ZText(mine->z()), "). ");
    } else {
      absl::StrAppend(&desc, force_name_, " has no value in this comparison. ");
    }
    absl::StrAppend(
        &desc, "Mean of all forces: ", FormatValue(c.mean_value(), unit),
        "; dotted lines at one standard deviation below and above "
        "the mean: ",
        FormatBare(c.lower(), unit), " and ", FormatBare(c.upper(), unit), ".");
    chart.desc = desc;

    absl::StrAppend(&out_, "<section class=\"comparison\" id=\"", id,
                    "-section\" aria-labelledby=\"", id, "-h\">\n<h3 id=\"", id,
                    "-h\">", Esc(metric_name), "</h3>\n<p>");
    if (mine != nullptr) {
      absl::StrAppend(&out_, "<strong>", Esc(force_name_), ": ",
                      Esc(FormatValue(mine->value(), unit)), "</strong>, ",
                      Esc(PositionWords(mine->position())),
                      " (z = ", ZText(mine->z()), "). ");
    } else {
      std::string reason = "no value for the period";
      for (const auto& ex : c.excluded()) {
        if (ex.force() == slug) reason = ex.reason();
      }
      absl::StrAppend(&out_, "<strong>", Esc(force_name_),
                      " is not in this comparison</strong> (", Esc(reason),
                      "). ");
    }
    absl::StrAppend(
        &out_, "The mean of all forces is ",
        Esc(FormatValue(c.mean_value(), unit)), ". ",
        c.metric().polarity() == v1::HIGHER_IS_BETTER ? "Higher is better."
        : c.metric().polarity() == v1::LOWER_IS_BETTER
            ? "Lower is better."
            : "Neither higher nor lower is better in itself.",
        "</p>\n<div class=\"chart-and-table\">\n<div class=\"chart-wrap\">\n",
        RenderBarChartSvg(chart), "</div>\n");

    // The same data as a table, beside the chart.
    absl::StrAppend(
        &out_,
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
        "aria-labelledby=\"",
        id,
        "-caption\">\n<table class=\"chart-data\">\n"
        "<caption id=\"",
        id, "-caption\">", Esc(metric_name),
        ": every force</caption>\n<thead><tr><th scope=\"col\" class=\"num\">"
        "Rank</th><th scope=\"col\">Force</th><th scope=\"col\" "
        "class=\"num\">Value</th><th scope=\"col\" class=\"num\">z</th>"
        "<th scope=\"col\">Position</th></tr></thead>\n<tbody>\n");
    int rank = 0;
    for (const ChartBar& bar : chart.bars) {
      ++rank;
      const v1::ForceValue* fv = sorted[rank - 1];
      absl::StrAppend(&out_, "<tr class=\"force-row\"",
                      bar.highlighted ? " data-highlighted=\"true\"" : "",
                      "><td class=\"num\">", rank, "</td><th scope=\"row\">",
                      Esc(bar.label), bar.highlighted ? " (this force)" : "",
                      "</th><td class=\"num\">",
                      Esc(FormatBare(bar.value, unit)),
                      "</td><td class=\"num\">", ZText(bar.z), "</td><td>",
                      Esc(fv->position() == v1::WELL_ABOVE   ? "well above"
                          : fv->position() == v1::WELL_BELOW ? "well below"
                          : fv->position() == v1::WITHIN     ? "within"
                                                             : "—"),
                      "</td></tr>\n");
    }
    absl::StrAppend(&out_, "</tbody>\n</table>\n</div>\n</div>\n");

    // How the comparison was made.
    absl::StrAppend(&out_,
                    "<p class=\"meta method\">Shapiro–Wilk on the values: W = ",
                    absl::StrFormat("%.3f", c.raw().w()), ", ",
                    PValueText(c.raw().p()), " (n = ", c.raw().n(), ").");
    if (c.log_tested()) {
      absl::StrAppend(&out_, " On their natural logs: W = ",
                      absl::StrFormat("%.3f", c.log().w()), ", ",
                      PValueText(c.log().p()), ".");
    }
    absl::StrAppend(
        &out_,
        c.logged() ? " Compared on the log scale: the lines are the "
                     "back-transformed mean and mean ± 1 SD of the logs "
                     "(mean "
                   : " Compared on the values (mean ",
        absl::StrFormat("%.4g", c.mean()), ", SD ",
        absl::StrFormat("%.4g", c.sd()), c.logged() ? " in logs" : "", ").");
    if (c.excluded_size() > 0) {
      absl::StrAppend(&out_, " Not compared: ");
      bool first = true;
      for (const auto& ex : c.excluded()) {
        absl::StrAppend(&out_, first ? "" : "; ", Esc(ForceName(ex.force())),
                        " (", Esc(ex.reason()), ")");
        first = false;
      }
      absl::StrAppend(&out_, ".");
    }
    absl::StrAppend(&out_, "</p>\n</section>\n");
  }

  void About() {
    absl::StrAppend(
        &out_,
        "<section id=\"about\" aria-labelledby=\"about-h\">\n"
        "<h2 id=\"about-h\">About the data</h2>\n"
        "<p>Every figure is computed from record-level data held by the "
        "suite's services and carries its counts and its source. Intervals "
        "are 95% confidence intervals. Grades are shown in words; their "
        "colours only repeat the words.</p>\n");
    if (options_.show_backends && a_.backends_size() > 0) {
      absl::StrAppend(
          &out_,
          "<table class=\"backends\">\n<caption>Services consulted for "
          "this assessment</caption>\n<thead><tr><th scope=\"col\">"
          "Service</th><th scope=\"col\">State</th><th scope=\"col\" "
          "class=\"num\">Time (ms)</th></tr></thead>\n<tbody>\n");
      for (const auto& b : a_.backends()) {
        std::string state = !b.configured() ? "not configured"
                            : b.available()
                                ? "answered"
                                : absl::StrCat("unavailable: ", b.reason());
        absl::StrAppend(
            &out_, "<tr><th scope=\"row\">", Esc(BackendName(b.backend())),
            " <span class=\"meta\">", Esc(b.service()), "</span></th><td>",
            Esc(state), "</td><td class=\"num\">",
            FormatNumber(b.latency_micros() / 1000.0, 1), "</td></tr>\n");
      }
      absl::StrAppend(&out_, "</tbody>\n</table>\n");
    }
    absl::StrAppend(&out_, "</section>\n");
  }

  const v1::ForceAssessment& a_;
  const std::vector<v1::ForceComparison>& comparisons_;
  const ReportOptions& options_;
  std::string force_name_;
  std::map<std::string, std::string> charted_;       // metric -> chart id
  std::map<std::string, std::string> metric_names_;  // metric -> name
  std::string out_;
};

}  // namespace

std::string RenderAssessmentHtml(
    const v1::ForceAssessment& assessment,
    const std::vector<v1::ForceComparison>& comparisons,
    const ReportOptions& options) {
  return Page(assessment, comparisons, options).Render();
}

}  // namespace peel::report
