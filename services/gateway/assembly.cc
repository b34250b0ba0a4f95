#include "services/gateway/assembly.h"

#include "absl/strings/str_cat.h"
#include "common/stats/intervals.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/policy.h"

namespace peel::gateway {
namespace {

using peel::common::v1::Grade;

bool Informs(const v1::Metric& m, v1::Area area) {
  for (int a : m.informs()) {
    if (a == area) return true;
  }
  return false;
}

bool IsGrade(Grade g) {
  return g >= peel::common::v1::OUTSTANDING &&
         g <= peel::common::v1::INADEQUATE;
}

void Compare(const v1::Metric& m, const std::string& force,
             const BackendOutcome& outcome, v1::KeyFigure* figure) {
  if (!m.nationally_comparable()) return;
  auto it = outcome.comparisons.find(m.id());
  if (it == outcome.comparisons.end()) {
    figure->set_comparison_note("national comparison not requested");
    return;
  }
  if (it->second == nullptr) {
    figure->set_comparison_note("national comparison did not answer");
    return;
  }
  const absl::StatusOr<v1::ForceComparison>& result = *it->second;
  if (!result.ok()) {
    figure->set_comparison_note(std::string(result.status().message()));
    return;
  }
  const v1::ForceComparison& c = *result;
  for (const auto& fv : c.forces()) {
    if (fv.force() != force) continue;
    auto* p = figure->mutable_comparison();
    p->set_force_value(fv.value());
    p->set_mean(c.mean_value());
    p->set_lower(c.lower());
    p->set_upper(c.upper());
    p->set_z(fv.z());
    p->set_position(fv.position());
    p->set_logged(c.logged());
    p->set_forces_compared(c.forces_size());
    return;
  }
  figure->set_comparison_note(
      "the force is not in the national comparison for the period");
}

}  // namespace

v1::ForceAssessment Assemble(const reference::Force& force,
                             const peel::common::v1::Period& period,
                             const v1::GradingPolicy& policy,
                             const v1::ListJudgmentsResponse& recorded,
                             const std::vector<BackendOutcome>& outcomes) {
  v1::ForceAssessment out;
  auto* ref = out.mutable_force();
  ref->set_slug(std::string(force.slug));
  ref->set_name(std::string(force.name));
  ref->set_ons_code(std::string(force.ons_code));
  ref->set_region(std::string(force.region));
  ref->set_population_mid2020(force.population_mid2020);
  ref->set_in_peel_scope(force.in_peel_scope);
  *out.mutable_period() = period;
  out.set_policy_id(policy.policy_id());

  // Every figure's value, for the grading rules (which may name any metric).
  std::map<std::string, double> values;
  for (const auto& o : outcomes) {
    if (!o.status.ok()) continue;
    for (const auto& f : o.evidence.figures) {
      values[f.metric()] = f.estimate().value();
    }
  }

  for (const AreaInfo& info : Areas()) {
    v1::AreaAssessment* a = out.add_areas();
    a->set_area(info.area);
    a->set_name(std::string(info.name));
    a->set_graded(info.graded);
    // The latest recorded judgment for the period: later records supersede.
    for (const auto& j : recorded.judgments()) {
      if (j.area() == info.area && InPeriod(j.period().end_date(), period)) {
        *a->mutable_recorded() = j;
      }
    }
    for (const auto& f : recorded.findings()) {
      if (f.area() == info.area && InPeriod(f.period().end_date(), period)) {
        *a->add_findings() = f;
      }
    }
    bool available = true;
    for (v1::Backend b : info.evidence) {
      a->add_evidence_from(b);
      for (const auto& o : outcomes) {
        if (o.backend != b) continue;
        if (!o.status.ok()) {
          available = false;
          auto* u = a->add_unavailable();
          u->set_backend(b);
          u->set_reason(std::string(o.status.message()));
          continue;
        }
        for (const auto& f : o.evidence.figures) {
          const v1::Metric* m = FindMetric(f.metric());
          if (m == nullptr || !Informs(*m, info.area)) continue;
          v1::KeyFigure* kf = a->add_figures();
          *kf = f;
          kf->set_name(m->name());
          kf->set_unit(m->unit());
          kf->set_polarity(m->polarity());
          if (m->unit() == v1::PROPORTION) {
            kf->set_wording(stats::ProportionWording(f.estimate().value()));
          }
          Compare(*m, std::string(force.slug), o, kf);
        }
      }
    }
    a->set_available(available);
    IndicativeGrade g = GradeArea(policy, info.area, values);
    a->set_indicative_grade(g.grade);
    a->set_indicative_basis(
        !available && g.grade == peel::common::v1::NOT_YET_ASSESSED
            ? absl::StrCat(g.basis, " (evidence unavailable)")
            : g.basis);
    a->set_differs(a->has_recorded() && IsGrade(g.grade) &&
                   a->recorded().grade() != g.grade);

    // Consistency of the recorded judgment with the recorded findings.
    bool has_cause = false;
    for (const auto& f : a->findings()) {
      if (f.kind() != v1::CAUSE_OF_CONCERN) continue;
      has_cause = true;
      if (f.recommendations_size() == 0) {
        auto* w = out.add_warnings();
        w->set_area(info.area);
        w->set_kind(v1::CAUSE_OF_CONCERN_WITHOUT_RECOMMENDATION);
        w->set_finding_id(f.finding_id());
        w->set_message(absl::StrCat("cause of concern '", f.finding_id(),
                                    "' has no recommendation"));
      }
    }
    if (a->has_recorded()) {
      const Grade rg = a->recorded().grade();
      if (rg == peel::common::v1::INADEQUATE && !has_cause) {
        auto* w = out.add_warnings();
        w->set_area(info.area);
        w->set_kind(v1::INADEQUATE_WITHOUT_CAUSE_OF_CONCERN);
        w->set_message(absl::StrCat(info.name,
                                    " is judged INADEQUATE but no cause of "
                                    "concern is recorded"));
      }
      if ((rg == peel::common::v1::GOOD ||
           rg == peel::common::v1::OUTSTANDING) &&
          has_cause) {
        auto* w = out.add_warnings();
        w->set_area(info.area);
        w->set_kind(v1::GOOD_OR_OUTSTANDING_WITH_CAUSE_OF_CONCERN);
        w->set_message(absl::StrCat(info.name, " is judged ",
                                    peel::common::v1::Grade_Name(rg),
                                    " but has a cause of concern"));
      }
    }
  }

  // The latest monitoring status that had started by the period's end.
  for (const auto& m : recorded.monitoring()) {
    if (period.end_date().empty() || m.since() <= period.end_date()) {
      *out.mutable_monitoring() = m;
    }
  }

  for (const auto& o : outcomes) {
    auto* b = out.add_backends();
    b->set_backend(o.backend);
    b->set_service(std::string(BackendOf(o.backend).service));
    for (const auto& addr : o.addresses) b->add_addresses(addr);
    b->set_configured(o.configured);
    b->set_available(o.status.ok());
    if (!o.status.ok()) b->set_reason(std::string(o.status.message()));
    b->set_latency_micros(o.latency_micros);
  }
  return out;
}

}  // namespace peel::gateway
