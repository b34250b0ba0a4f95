#include "services/gateway/catalogue.h"

#include <string>

namespace peel::gateway {
namespace {

v1::Metric M(absl::string_view id, absl::string_view name, v1::Unit unit,
             v1::Backend source, v1::Polarity polarity,
             std::vector<v1::Area> informs, bool comparable) {
  v1::Metric m;
  m.set_id(std::string(id));
  m.set_name(std::string(name));
  m.set_unit(unit);
  m.set_source(source);
  m.set_polarity(polarity);
  for (v1::Area a : informs) m.add_informs(a);
  m.set_nationally_comparable(comparable);
  return m;
}

}  // namespace

const std::vector<AreaInfo>& Areas() {
  using v1::Backend;
  static const auto* areas = new std::vector<AreaInfo>{
      {v1::SERVICE_TO_VICTIMS,
       "Providing a service to victims of crime",
       false,
       {v1::VICTIM_SERVICE, v1::CRIME_RECORDING}},
      {v1::RECORDING_DATA_ABOUT_CRIME,
       "Recording data about crime",
       true,
       {v1::CRIME_RECORDING}},
      {v1::TREATING_THE_PUBLIC_FAIRLY,
       "Treating the public fairly and with respect",
       true,
       {}},
      {v1::PREVENTING_CRIME,
       "Preventing crime and anti-social behaviour",
       true,
       {}},
      {v1::RESPONDING_TO_THE_PUBLIC,
       "Responding to the public",
       true,
       {v1::VICTIM_SERVICE}},
      {v1::INVESTIGATING_CRIME,
       "Investigating crime",
       true,
       {v1::VICTIM_SERVICE}},
      {v1::PROTECTING_VULNERABLE_PEOPLE,
       "Protecting vulnerable people",
       true,
       {v1::VICTIM_SERVICE, v1::CRIME_RECORDING}},
      {v1::MANAGING_OFFENDERS, "Managing offenders and suspects", true, {}},
      {v1::DISRUPTING_SERIOUS_ORGANISED_CRIME,
       "Disrupting serious organised crime",
       true,
       {v1::SOC_DISRUPTIONS}},
      {v1::BUILDING_THE_WORKFORCE,
       "Building, supporting and protecting the workforce",
       true,
       {v1::WORKFORCE}},
      {v1::STRATEGIC_PLANNING,
       "Strategic planning, organisational management and value for money",
       true,
       {v1::WORKFORCE}},
  };
  return *areas;
}

const AreaInfo* FindArea(v1::Area area) {
  for (const auto& a : Areas()) {
    if (a.area == area) return &a;
  }
  return nullptr;
}

const std::vector<BackendInfo>& Backends() {
  static const auto* backends = new std::vector<BackendInfo>{
      {v1::CRIME_RECORDING, "peel.crimerecording.v1.CrimeRecordingService",
       "crime_recording_addr"},
      {v1::VICTIM_SERVICE, "peel.victimservice.v1.VictimService",
       "victim_service_addr"},
      {v1::WORKFORCE, "peel.workforce.v1.WorkforceService", "workforce_addr"},
      {v1::SOC_DISRUPTIONS, "peel.soc.v1.SocDisruptionService",
       "soc_disruptions_addr"},
  };
  return *backends;
}

const BackendInfo& BackendOf(v1::Backend backend) {
  for (const auto& b : Backends()) {
    if (b.backend == backend) return b;
  }
  return Backends().front();
}

const std::vector<v1::Metric>& Metrics() {
  using namespace metric;  // NOLINT: the ids read better unqualified here
  static const auto* metrics = new std::vector<v1::Metric>{
      M(kRecordingRate, "Reported crime (excluding fraud) that is recorded",
        v1::PROPORTION, v1::CRIME_RECORDING, v1::HIGHER_IS_BETTER,
        {v1::RECORDING_DATA_ABOUT_CRIME, v1::SERVICE_TO_VICTIMS}, true),
      M(kRecordingViolence, "Violence offences that are recorded",
        v1::PROPORTION, v1::CRIME_RECORDING, v1::HIGHER_IS_BETTER,
        {v1::RECORDING_DATA_ABOUT_CRIME}, false),
      M(kRecordingSexual, "Sexual offences that are recorded", v1::PROPORTION,
        v1::CRIME_RECORDING, v1::HIGHER_IS_BETTER,
        {v1::RECORDING_DATA_ABOUT_CRIME}, false),
      M(kRecordingWithin24h, "Recorded crimes recorded within 24 hours",
        v1::PROPORTION, v1::CRIME_RECORDING, v1::HIGHER_IS_BETTER,
        {v1::RECORDING_DATA_ABOUT_CRIME}, false),
      M(kRecordingVulnerable, "Crimes against vulnerable victims recorded",
        v1::PROPORTION, v1::CRIME_RECORDING, v1::HIGHER_IS_BETTER,
        {v1::PROTECTING_VULNERABLE_PEOPLE}, false),
      M(kRecordingUnrecorded,
        "Crimes not recorded in the year (estimate, nearest 100)", v1::COUNT,
        v1::CRIME_RECORDING, v1::LOWER_IS_BETTER,
        {v1::RECORDING_DATA_ABOUT_CRIME}, false),
      M(k999Within10s, "999 calls answered within 10 seconds", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC}, true),
      M(k101Abandoned, "101 calls abandoned", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::LOWER_IS_BETTER, {v1::RESPONDING_TO_THE_PUBLIC},
        true),
      M(kVsaThrive, "Incidents with a THRIVE risk assessment", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC, v1::SERVICE_TO_VICTIMS}, false),
      M(kVsaVulnerability, "Cases where vulnerability was checked",
        v1::PROPORTION, v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC, v1::PROTECTING_VULNERABLE_PEOPLE},
        false),
      M(kVsaRepeatIdentified, "Repeat victims identified", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC}, false),
      M(kVsaRepeatRecorded, "Repeat victims recorded as required",
        v1::PROPORTION, v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC}, false),
      M(kVsaEvidenceAdvice, "Evidence-preservation advice given",
        v1::PROPORTION, v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC}, false),
      M(kVsaPreventionAdvice, "Crime-prevention advice given", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER,
        {v1::RESPONDING_TO_THE_PUBLIC}, false),
      M(kVsaAllocated, "Crimes allocated according to policy", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER, {v1::INVESTIGATING_CRIME},
        false),
      M(kVsaArrest, "Arrests made at the earliest opportunity", v1::PROPORTION,
        v1::VICTIM_SERVICE, v1::HIGHER_IS_BETTER, {v1::INVESTIGATING_CRIME},
        false),
      M(kWorkforceEthnicMinority,
        "Workforce (stating ethnicity) from an ethnic minority background",
        v1::PROPORTION, v1::WORKFORCE, v1::HIGHER_IS_BETTER,
        {v1::BUILDING_THE_WORKFORCE}, true),
      M(kWorkforceUplift, "Police uplift recruitment against allocation",
        v1::PROPORTION, v1::WORKFORCE, v1::HIGHER_IS_BETTER,
        {v1::BUILDING_THE_WORKFORCE, v1::STRATEGIC_PLANNING}, true),
      M(kWorkforceOhWait, "Occupational-health wait (mean days)", v1::DAYS,
        v1::WORKFORCE, v1::LOWER_IS_BETTER, {v1::BUILDING_THE_WORKFORCE},
        false),
      M(kWorkforceLeaverRate, "Officer leaver rate", v1::PROPORTION,
        v1::WORKFORCE, v1::LOWER_IS_BETTER,
        {v1::BUILDING_THE_WORKFORCE, v1::STRATEGIC_PLANNING}, true),
      M(kSocDisruptions, "Organised crime disruptions recorded", v1::COUNT,
        v1::SOC_DISRUPTIONS, v1::HIGHER_IS_BETTER,
        {v1::DISRUPTING_SERIOUS_ORGANISED_CRIME}, false),
      M(kSocDisruptionsPer1000, "Disruptions per 1,000 population",
        v1::PER_1000_POPULATION, v1::SOC_DISRUPTIONS, v1::HIGHER_IS_BETTER,
        {v1::DISRUPTING_SERIOUS_ORGANISED_CRIME}, true),
      M(kSocPursueShare, "Disruptions under the pursue pillar", v1::PROPORTION,
        v1::SOC_DISRUPTIONS, v1::POLARITY_UNSPECIFIED,
        {v1::DISRUPTING_SERIOUS_ORGANISED_CRIME}, false),
  };
  return *metrics;
}

const v1::Metric* FindMetric(absl::string_view id) {
  for (const auto& m : Metrics()) {
    if (m.id() == id) return &m;
  }
  return nullptr;
}

}  // namespace peel::gateway
