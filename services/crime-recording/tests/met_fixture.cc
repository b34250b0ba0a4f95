#include "services/crime-recording/tests/met_fixture.h"

#include "absl/strings/str_format.h"

namespace peel::crimerecording::testing {

v1::Audit MetAudit() {
  v1::Audit a;
  a.set_audit_id("metropolitan-2021h2");
  a.set_force("metropolitan");
  a.mutable_period()->set_start_date("2021-07-01");
  a.mutable_period()->set_end_date("2021-12-31");
  a.set_recorded_crime_base(763400);
  a.set_recorded_crime_base_source(
      "Home Office police recorded crime, excluding fraud, 12 months to "
      "31 December 2021");
  // Weights equal to each stratum's share of the audited crimes, so the
  // stratified and pooled estimates agree, as in the published figures.
  for (auto [s, n] : {std::pair{v1::VIOLENCE, 235},
                      {v1::SEXUAL_OFFENCES, 125},
                      {v1::OTHER, 146}}) {
    auto* w = a.add_strata();
    w->set_stratum(s);
    w->set_weight(n / 506.0);
  }
  auto* e = a.add_earlier();
  e->set_rate(0.895);
  e->set_half_width(0.016);
  e->set_label("2018 inspection");
  e = a.add_earlier();
  e->set_stratum(v1::VIOLENCE);
  e->set_rate(0.876);
  e->set_half_width(0.028);
  e->set_label("2018 inspection");
  e = a.add_earlier();
  e->set_stratum(v1::SEXUAL_OFFENCES);
  e->set_rate(0.91);
  e->set_half_width(0.029);
  e->set_label("2018 inspection");
  return a;
}

std::vector<v1::AuditedIncident> MetIncidents() {
  std::vector<v1::AuditedIncident> out;
  int next = 0;
  // Crimes are dealt out to incidents in a repeating 1, 2, 1, 1, 3 pattern;
  // every fifth incident of a stratum yields no crime at all.
  const int pattern[] = {1, 2, 1, 1, 3};
  for (auto [stratum, crimes, recorded] : {std::tuple{v1::VIOLENCE, 235, 203},
                                           {v1::SEXUAL_OFFENCES, 125, 119},
                                           {v1::OTHER, 146, 142}}) {
    int dealt = 0, k = 0;
    while (dealt < crimes) {
      v1::AuditedIncident inc;
      inc.set_incident_id(absl::StrFormat("inc-%05d", ++next));
      inc.set_stratum(stratum);
      if (k % 6 != 5) {
        int take = std::min(pattern[k % 5], crimes - dealt);
        for (int c = 0; c < take; ++c, ++dealt) {
          auto* crime = inc.add_crimes();
          // The unrecorded crimes are spread evenly through the stratum:
          // crime d is unrecorded when floor(d·u/n) steps up at d + 1.
          const bool recorded_flag =
              (static_cast<long>(dealt) * (crimes - recorded)) / crimes ==
              (static_cast<long>(dealt + 1) * (crimes - recorded)) / crimes;
          crime->set_recorded(recorded_flag);
          crime->set_correctly_classified(recorded_flag && dealt % 10 != 0);
          crime->set_recorded_within_24h(recorded_flag && dealt % 4 != 0);
          crime->set_domestic_abuse(dealt % 3 == 0);
          crime->set_behavioural(stratum == v1::OTHER && dealt % 5 == 0);
          crime->set_vulnerable_victim(dealt % 7 == 0);
          crime->set_rape_or_n100(stratum == v1::SEXUAL_OFFENCES &&
                                  dealt % 2 == 0);
        }
      }
      ++k;
      out.push_back(std::move(inc));
    }
  }
  return out;
}

std::vector<v1::AuditedIncidentBatch> Batches(
    const std::vector<v1::AuditedIncident>& incidents, int size) {
  std::vector<v1::AuditedIncidentBatch> out;
  for (size_t i = 0; i < incidents.size(); i += size) {
    v1::AuditedIncidentBatch b;
    b.set_sequence(out.size() + 1);
    b.set_audit_id(MetAudit().audit_id());
    for (size_t j = i; j < incidents.size() && j < i + size; ++j) {
      *b.add_incidents() = incidents[j];
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace peel::crimerecording::testing
