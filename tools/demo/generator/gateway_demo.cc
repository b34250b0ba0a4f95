// Gateway demo: the inspectors' recorded judgments for the Metropolitan
// Police Service's eleven PEEL 2021/22 areas, its Engage monitoring status
// and findings, all taken from the reference report
// (/work/shared/reference, the grades as the gateway tests record them).
// Nothing synthetic: other forces have no recorded judgments in the demo.
#include <string>

#include "peel/gateway/v1/gateway.pb.h"
#include "tools/demo/generator/demo.h"

namespace peel::demo {
namespace {

namespace gw = ::peel::gateway::v1;
using peel::common::v1::Grade;

constexpr char kForce[] = "metropolitan";
constexpr char kSource[] =
    "PEEL 2021/22: an inspection of the Metropolitan Police Service";
constexpr char kJudgedOn[] = "2022-09-01";

peel::common::v1::Period Peel2122() {
  peel::common::v1::Period p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-06-30");
  return p;
}

struct JudgmentRow {
  const char* id;
  gw::Area area;
  Grade grade;
  const char* summary;
};

const JudgmentRow kJudgments[] = {
    {"met-2122-victims", gw::SERVICE_TO_VICTIMS, peel::common::v1::UNGRADED,
     "We don't make a graded judgment in this overall area."},
    {"met-2122-recording", gw::RECORDING_DATA_ABOUT_CRIME,
     peel::common::v1::ADEQUATE,
     "The Metropolitan Police Service is adequate at recording crime."},
    {"met-2122-fairly", gw::TREATING_THE_PUBLIC_FAIRLY,
     peel::common::v1::ADEQUATE,
     "The Metropolitan Police Service is adequate at treating people fairly "
     "and with respect."},
    {"met-2122-preventing", gw::PREVENTING_CRIME, peel::common::v1::GOOD,
     "The Metropolitan Police Service is good at prevention and deterrence."},
    {"met-2122-responding", gw::RESPONDING_TO_THE_PUBLIC,
     peel::common::v1::INADEQUATE,
     "The Metropolitan Police Service is inadequate at responding to the "
     "public."},
    {"met-2122-investigating", gw::INVESTIGATING_CRIME,
     peel::common::v1::REQUIRES_IMPROVEMENT,
     "The Metropolitan Police Service requires improvement at investigating "
     "crime."},
    {"met-2122-vulnerable", gw::PROTECTING_VULNERABLE_PEOPLE,
     peel::common::v1::REQUIRES_IMPROVEMENT,
     "The Metropolitan Police Service requires improvement at protecting "
     "vulnerable people."},
    {"met-2122-offenders", gw::MANAGING_OFFENDERS,
     peel::common::v1::REQUIRES_IMPROVEMENT,
     "The Metropolitan Police Service requires improvement at managing "
     "offenders and suspects."},
    {"met-2122-soc", gw::DISRUPTING_SERIOUS_ORGANISED_CRIME,
     peel::common::v1::ADEQUATE,
     "The Metropolitan Police Service is adequate at tackling serious and "
     "organised crime (SOC)."},
    {"met-2122-workforce", gw::BUILDING_THE_WORKFORCE,
     peel::common::v1::REQUIRES_IMPROVEMENT,
     "The Metropolitan Police Service requires improvement at building and "
     "developing its workforce."},
    {"met-2122-strategic", gw::STRATEGIC_PLANNING,
     peel::common::v1::REQUIRES_IMPROVEMENT,
     "The Metropolitan Police Service requires improvement at operating "
     "efficiently."},
};

gw::Finding NewFinding(const char* id, gw::Area area, gw::FindingKind kind,
                       const char* summary) {
  gw::Finding f;
  f.set_finding_id(id);
  f.set_force(kForce);
  f.set_area(area);
  f.set_kind(kind);
  f.set_summary(summary);
  f.set_recorded_on(kJudgedOn);
  *f.mutable_period() = Peel2122();
  f.set_source(kSource);
  return f;
}

}  // namespace

void WriteGateway(DemoWriter* out) {
  for (const auto& row : kJudgments) {
    gw::Judgment j;
    j.set_judgment_id(row.id);
    j.set_force(kForce);
    j.set_area(row.area);
    j.set_grade(row.grade);
    j.set_summary(row.summary);
    j.set_judged_on(kJudgedOn);
    j.set_source(kSource);
    *j.mutable_period() = Peel2122();
    out->Add("judgments", "gateway/judgments.jsonl", j);
  }

  constexpr char kFindings[] = "gateway/findings.jsonl";
  gw::Finding coc = NewFinding(
      "met-2122-coc-responding", gw::RESPONDING_TO_THE_PUBLIC,
      gw::CAUSE_OF_CONCERN,
      "The force doesn't have the capacity in its call handling teams to "
      "meet the demand for service in a timely way");
  coc.add_evidence_metrics("calls.999_within_10s");
  coc.add_evidence_metrics("calls.101_abandoned");
  auto* rec = coc.add_recommendations();
  rec->set_recommendation_id("r1");
  rec->set_text(
      "Answer emergency and non-emergency calls within the national "
      "standards");
  out->Add("findings", kFindings, coc);

  gw::Finding recording = NewFinding(
      "met-2122-afi-recording", gw::RECORDING_DATA_ABOUT_CRIME,
      gw::AREA_FOR_IMPROVEMENT,
      "The force needs to improve its crime recording processes to make sure "
      "all crimes reported to it are recorded correctly and without delay.");
  recording.add_evidence_metrics("crime_recording.rate");
  recording.add_evidence_metrics("crime_recording.violence_rate");
  out->Add("findings", kFindings, recording);

  gw::Finding thrive = NewFinding(
      "met-2122-afi-thrive", gw::RESPONDING_TO_THE_PUBLIC,
      gw::AREA_FOR_IMPROVEMENT,
      "The force should make sure call handlers carry out and record a "
      "THRIVE+ risk assessment so that victims get the right response.");
  thrive.add_evidence_metrics("vsa.thrive_assessment");
  out->Add("findings", kFindings, thrive);

  gw::Finding supervision = NewFinding(
      "met-2122-afi-supervision", gw::INVESTIGATING_CRIME,
      gw::AREA_FOR_IMPROVEMENT,
      "Supervisors don't always have the capacity to comply with the policy "
      "for supervising investigations; all investigations should be reviewed "
      "by a supervisor.");
  out->Add("findings", kFindings, supervision);

  gw::Finding forensic = NewFinding(
      "met-2122-innovative-forensics", gw::INVESTIGATING_CRIME,
      gw::INNOVATIVE_PRACTICE,
      "The force has developed a new forensic technique for detecting the "
      "presence of blood on dark clothing and a rapid testing kit for drink "
      "spiking cases.");
  out->Add("findings", kFindings, forensic);

  gw::MonitoringStatus m;
  m.set_status_id("met-engage-2022");
  m.set_force(kForce);
  m.set_level(gw::ENGAGE);
  m.set_since("2022-06-27");
  m.add_reasons(
      "how the force responds to the public; its understanding of its demand "
      "and its workforce");
  out->Add("monitoring", "gateway/monitoring.jsonl", m);
}

}  // namespace peel::demo
