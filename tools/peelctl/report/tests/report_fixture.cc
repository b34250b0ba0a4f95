#include "tools/peelctl/report/tests/report_fixture.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/reference/forces.h"
#include "common/stats/estimates.h"
#include "common/stats/national_comparison.h"

namespace peel::report::testing {
namespace {

namespace v1 = peel::gateway::v1;
namespace cv1 = peel::common::v1;

v1::Position ToPosition(stats::Position p) {
  switch (p) {
    case stats::Position::kWellAbove:
      return v1::WELL_ABOVE;
    case stats::Position::kWellBelow:
      return v1::WELL_BELOW;
    default:
      return v1::WITHIN;
  }
}

v1::ForceComparison Compare(v1::Metric metric, int k, double met_value) {
  std::vector<stats::ForceValue> values;
  int i = 0;
  for (const auto& f : reference::AllForces()) {
    if (!f.in_peel_scope) continue;
    double v = f.slug == "metropolitan" ? met_value : SyntheticValue(k, i++);
    values.push_back({std::string(f.slug), v});
  }
  auto result = stats::CompareNationally(
      values, metric.polarity() != v1::LOWER_IS_BETTER);
  v1::ForceComparison c;
  *c.mutable_metric() = std::move(metric);
  c.mutable_period()->set_start_date(k == 0 ? "2020-04-01" : "2021-04-01");
  c.mutable_period()->set_end_date(k == 0 ? "2021-03-31" : "2022-03-31");
  if (!result.ok()) return c;  // the tests then fail on the bar counts
  c.mutable_raw()->set_w(result->raw.w);
  c.mutable_raw()->set_p(result->raw.p);
  c.mutable_raw()->set_n(result->raw.n);
  c.set_log_tested(result->log_tested);
  if (result->log_tested) {
    c.mutable_log()->set_w(result->log.w);
    c.mutable_log()->set_p(result->log.p);
    c.mutable_log()->set_n(result->log.n);
  }
  c.set_logged(result->space == stats::ComparisonSpace::kLog);
  c.set_mean(result->mean);
  c.set_sd(result->sd);
  c.set_mean_value(result->mean_value);
  c.set_lower(result->lower);
  c.set_upper(result->upper);
  for (const auto& fc : result->forces) {
    auto* fv = c.add_forces();
    fv->set_force(fc.force);
    fv->set_value(fc.value);
    fv->set_z(fc.z);
    fv->set_position(ToPosition(fc.position));
  }
  auto* ex = c.add_excluded();
  ex->set_force("btp");
  ex->set_reason("outside PEEL scope");
  return c;
}

v1::Metric StopSearchMetric() {
  v1::Metric m;
  m.set_id("stop_search.per_1000_population");
  m.set_name("Person stop and searches per 1,000 population");
  m.set_unit(v1::PER_1000_POPULATION);
  m.set_polarity(v1::POLARITY_UNSPECIFIED);
  m.add_informs(v1::TREATING_THE_PUBLIC_FAIRLY);
  m.set_nationally_comparable(true);
  return m;
}

v1::Metric CallsMetric() {
  v1::Metric m;
  m.set_id("calls.999_within_10s");
  m.set_name("999 calls answered within 10 seconds");
  m.set_unit(v1::PROPORTION);
  m.set_source(v1::VICTIM_SERVICE);
  m.set_polarity(v1::HIGHER_IS_BETTER);
  m.add_informs(v1::RESPONDING_TO_THE_PUBLIC);
  m.set_nationally_comparable(true);
  return m;
}

void SetComparison(const v1::ForceComparison& c, v1::KeyFigure* kf) {
  for (const auto& fv : c.forces()) {
    if (fv.force() != "metropolitan") continue;
    auto* p = kf->mutable_comparison();
    p->set_force_value(fv.value());
    p->set_mean(c.mean_value());
    p->set_lower(c.lower());
    p->set_upper(c.upper());
    p->set_z(fv.z());
    p->set_position(fv.position());
    p->set_logged(c.logged());
    p->set_forces_compared(c.forces_size());
  }
}

cv1::Provenance Source(const char* service, const char* dataset,
                       const char* method) {
  cv1::Provenance p;
  p.set_service(service);
  p.set_dataset(dataset);
  p.set_force("metropolitan");
  p.mutable_period()->set_start_date("2021-04-01");
  p.mutable_period()->set_end_date("2022-03-31");
  p.set_method(method);
  return p;
}

struct AreaSpec {
  v1::Area area;
  const char* name;
  cv1::Grade recorded;
  cv1::Grade indicative;
  const char* summary;
};

}  // namespace

double SyntheticValue(int k, int i) {
  // A fixed, uneven spread so the bars differ; never a published figure.
  double t = static_cast<double>((i * 17) % 42) / 41.0;
  if (k == 0) return 3.0 + 9.5 * t * t + 0.1 * (i % 3);  // per 1,000
  return 0.62 + 0.33 * t;                                // proportion
}

std::vector<v1::ForceComparison> NationalComparisons() {
  return {Compare(StopSearchMetric(), 0, 34.6),
          Compare(CallsMetric(), 1, 0.639)};
}

v1::ForceAssessment MetAssessment(bool hostile_text) {
  const auto comparisons = NationalComparisons();
  v1::ForceAssessment a;
  const reference::Force* met = reference::FindForce("metropolitan");
  auto* ref = a.mutable_force();
  ref->set_slug("metropolitan");
  ref->set_name(hostile_text ? "Metropolitan <Police> & \"Service\""
                             : std::string(met->name));
  ref->set_ons_code(std::string(met->ons_code));
  ref->set_region(std::string(met->region));
  ref->set_population_mid2020(met->population_mid2020);
  ref->set_in_peel_scope(true);
  a.mutable_period()->set_start_date("2021-04-01");
  a.mutable_period()->set_end_date("2022-03-31");
  a.set_policy_id("peel-2021-22");

  using cv1::Grade;
  const AreaSpec specs[] = {
      {v1::SERVICE_TO_VICTIMS, "Providing a service to victims of crime",
       cv1::UNGRADED, cv1::UNGRADED, ""},
      {v1::RECORDING_DATA_ABOUT_CRIME, "Recording data about crime",
       cv1::ADEQUATE, cv1::ADEQUATE,
       "The Metropolitan Police Service is adequate at recording crime."},
      {v1::TREATING_THE_PUBLIC_FAIRLY,
       "Treating the public fairly and with respect", cv1::ADEQUATE,
       cv1::NOT_YET_ASSESSED,
       "The Metropolitan Police Service is adequate at treating people fairly "
       "and with respect."},
      {v1::PREVENTING_CRIME, "Preventing crime and anti-social behaviour",
       cv1::GOOD, cv1::NOT_YET_ASSESSED,
       "The Metropolitan Police Service is good at prevention and deterrence."},
      {v1::RESPONDING_TO_THE_PUBLIC, "Responding to the public",
       cv1::INADEQUATE, cv1::INADEQUATE,
       "The Metropolitan Police Service is inadequate at responding to the "
       "public."},
      {v1::INVESTIGATING_CRIME, "Investigating crime",
       cv1::REQUIRES_IMPROVEMENT, cv1::ADEQUATE,
       "The Metropolitan Police Service requires improvement at investigating "
       "crime."},
      {v1::PROTECTING_VULNERABLE_PEOPLE, "Protecting vulnerable people",
       cv1::REQUIRES_IMPROVEMENT, cv1::REQUIRES_IMPROVEMENT,
       "The Metropolitan Police Service requires improvement at protecting "
       "vulnerable people."},
      {v1::MANAGING_OFFENDERS, "Managing offenders and suspects",
       cv1::REQUIRES_IMPROVEMENT, cv1::NOT_YET_ASSESSED,
       "The Metropolitan Police Service requires improvement at managing "
       "offenders and suspects."},
      {v1::DISRUPTING_SERIOUS_ORGANISED_CRIME,
       "Disrupting serious organised crime", cv1::ADEQUATE, cv1::GOOD,
       "The Metropolitan Police Service is adequate at tackling serious and "
       "organised crime (SOC)."},
      {v1::BUILDING_THE_WORKFORCE,
       "Building, supporting and protecting the workforce",
       cv1::REQUIRES_IMPROVEMENT, cv1::REQUIRES_IMPROVEMENT,
       "The Metropolitan Police Service requires improvement at building and "
       "developing its workforce."},
      {v1::STRATEGIC_PLANNING,
       "Strategic planning, organisational management and value for money",
       cv1::REQUIRES_IMPROVEMENT, cv1::NOT_YET_ASSESSED,
       "The Metropolitan Police Service requires improvement at operating "
       "efficiently."},
  };
  for (const AreaSpec& s : specs) {
    auto* area = a.add_areas();
    area->set_area(s.area);
    area->set_name(s.name);
    area->set_graded(s.area != v1::SERVICE_TO_VICTIMS);
    area->set_available(true);
    if (area->graded()) {
      auto* j = area->mutable_recorded();
      j->set_judgment_id(absl::StrCat("j-", static_cast<int>(s.area)));
      j->set_force("metropolitan");
      j->set_area(s.area);
      j->set_grade(s.recorded);
      j->set_summary(hostile_text && s.area == v1::PREVENTING_CRIME
                         ? "Good <b>at</b> prevention & \"deterrence\""
                         : s.summary);
      j->set_judged_on("2022-09-27");
      j->set_source("PEEL 2021/22 report");
    }
    area->set_indicative_grade(s.indicative);
    bool gradeable =
        s.indicative >= cv1::OUTSTANDING && s.indicative <= cv1::INADEQUATE;
    area->set_differs(area->graded() && gradeable &&
                      s.indicative != s.recorded);
    if (gradeable) area->set_indicative_basis("worst of the policy's rules");
  }

  // Key figures.
  auto* recording = a.mutable_areas(1)->add_figures();
  recording->set_metric("crime_recording.rate");
  recording->set_name("Reported crime (excluding fraud) that is recorded");
  recording->set_unit(v1::PROPORTION);
  recording->set_polarity(v1::HIGHER_IS_BETTER);
  {
    auto* e = recording->mutable_estimate();
    e->set_value(0.917);
    e->set_method(cv1::INTERVAL_METHOD_STRATIFIED_WALD);
    e->set_half_width(0.024);
    e->mutable_interval()->set_lower(0.893);
    e->mutable_interval()->set_upper(0.941);
    e->set_sample_size(1060);
    *e->mutable_provenance() =
        Source("peel.crimerecording.v1.CrimeRecordingService",
               "audit:met-2021h1", "stratified by offence group");
  }
  recording->set_wording("most");
  recording->set_comparison_note("fewer than three forces have a value");

  auto* stops = a.mutable_areas(2)->add_figures();
  stops->set_metric("stop_search.per_1000_population");
  stops->set_name("Person stop and searches per 1,000 population");
  stops->set_unit(v1::PER_1000_POPULATION);
  {
    auto* e = stops->mutable_estimate();
    e->set_value(34.6);
    e->set_method(cv1::INTERVAL_METHOD_NONE);
    e->mutable_ratio()->set_numerator(311295);
    e->mutable_ratio()->set_denominator(met->population_mid2020);
    *e->mutable_provenance() =
        Source("synthetic", "stop-search:ye-2021-03", "searches / population");
  }
  SetComparison(comparisons[0], stops);

  auto* calls = a.mutable_areas(4)->add_figures();
  calls->set_metric("calls.999_within_10s");
  calls->set_name("999 calls answered within 10 seconds");
  calls->set_unit(v1::PROPORTION);
  calls->set_polarity(v1::HIGHER_IS_BETTER);
  *calls->mutable_estimate() = stats::WilsonEstimate(6390, 10000);
  *calls->mutable_estimate()->mutable_provenance() =
      Source("peel.victimservice.v1.VictimService", "calls:met-2021",
             "answered within 10 s of all 999 calls");
  calls->set_wording("more than half");
  SetComparison(comparisons[1], calls);

  auto* thrive = a.mutable_areas(4)->add_figures();
  thrive->set_metric("vsa.thrive_assessment");
  thrive->set_name("Incidents with a THRIVE risk assessment");
  thrive->set_unit(v1::PROPORTION);
  thrive->set_polarity(v1::HIGHER_IS_BETTER);
  *thrive->mutable_estimate() = stats::WaldEstimate(21, 107);
  *thrive->mutable_estimate()->mutable_provenance() =
      Source("peel.victimservice.v1.VictimService", "vsa:met-2021",
             "met of applicable case files");
  thrive->set_wording("only");
  thrive->set_comparison_note("not nationally comparable");

  // Findings.
  auto* responding = a.mutable_areas(4);
  auto* coc = responding->add_findings();
  coc->set_finding_id("f-coc-1");
  coc->set_force("metropolitan");
  coc->set_area(v1::RESPONDING_TO_THE_PUBLIC);
  coc->set_kind(v1::CAUSE_OF_CONCERN);
  coc->set_summary(
      hostile_text
          ? "Calls <script>alert(\"x\")</script> & 'answered' too slowly"
          : "The force doesn't answer emergency and non-emergency calls "
            "quickly enough.");
  coc->set_recorded_on("2022-09-27");
  coc->add_evidence_metrics("calls.999_within_10s");
  coc->add_evidence_metrics("vsa.thrive_assessment");
  auto* rec = coc->add_recommendations();
  rec->set_recommendation_id("r1");
  rec->set_text(
      "Within six months, the force should make sure it has the capacity to "
      "answer calls within national standards.");
  rec->set_due_date("2023-03-27");
  auto* st = rec->add_history();
  st->set_status_id("s1");
  st->set_finding_id("f-coc-1");
  st->set_recommendation_id("r1");
  st->set_state(v1::IN_PROGRESS);
  st->set_as_of("2022-12-01");
  auto* afi = responding->add_findings();
  afi->set_finding_id("f-afi-1");
  afi->set_force("metropolitan");
  afi->set_area(v1::RESPONDING_TO_THE_PUBLIC);
  afi->set_kind(v1::AREA_FOR_IMPROVEMENT);
  afi->set_summary(
      "The force should make sure repeat victims are identified at first "
      "contact.");
  afi->set_recorded_on("2022-09-27");
  auto* innov = a.mutable_areas(5)->add_findings();
  innov->set_finding_id("f-ip-1");
  innov->set_force("metropolitan");
  innov->set_area(v1::INVESTIGATING_CRIME);
  innov->set_kind(v1::INNOVATIVE_PRACTICE);
  innov->set_summary(
      "A rapid testing kit for drink spiking cases and a technique for "
      "finding blood on dark clothing.");

  auto* monitoring = a.mutable_monitoring();
  monitoring->set_status_id("m1");
  monitoring->set_force("metropolitan");
  monitoring->set_level(v1::ENGAGE);
  monitoring->set_since("2022-06-28");
  monitoring->add_reasons(
      "Serious concerns about how the force responds to the public.");

  for (auto [b, name] :
       {std::pair{v1::CRIME_RECORDING,
                  "peel.crimerecording.v1.CrimeRecordingService"},
        std::pair{v1::VICTIM_SERVICE, "peel.victimservice.v1.VictimService"}}) {
    auto* s = a.add_backends();
    s->set_backend(b);
    s->set_service(name);
    s->set_configured(true);
    s->set_available(true);
    s->set_latency_micros(1234);
  }
  return a;
}

}  // namespace peel::report::testing
