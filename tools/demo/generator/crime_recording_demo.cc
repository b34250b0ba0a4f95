// Crime data integrity demo: the Metropolitan Police audit that reproduces
// the reference report (services/crime-recording/tests/met_fixture.cc, the
// records the service's own tests assert against), and one synthetic audit
// per other force so the national comparison has 43 values.
#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"
#include "services/crime-recording/tests/met_fixture.h"
#include "tools/demo/generator/demo.h"

namespace peel::demo {

namespace v1 = ::peel::crimerecording::v1;

void WriteCrimeRecording(std::mt19937_64& rng, DemoWriter* out) {
  const v1::Audit met = crimerecording::testing::MetAudit();
  out->Add("audits", "crime-recording/audits.jsonl", met);
  for (const auto& incident : crimerecording::testing::MetIncidents()) {
    out->Add("audited-incidents",
             "crime-recording/incidents-metropolitan.jsonl", incident,
             absl::StrCat("--audit=", met.audit_id()));
  }

  std::normal_distribution<double> rate(0.90, 0.035);
  std::uniform_int_distribution<int> crimes(380, 620);
  for (const auto& force : reference::AllForces()) {
    if (!force.in_peel_scope || force.slug == "metropolitan") continue;
    v1::Audit a = met;
    a.set_audit_id(absl::StrCat("synthetic-", force.slug, "-2021h2"));
    a.set_force(std::string(force.slug));
    // About 75 recorded crimes (excluding fraud) per 1,000 people.
    a.set_recorded_crime_base(force.population_mid2020 * 75 / 1000);
    a.set_recorded_crime_base_source("synthetic demo figure");
    a.clear_earlier();
    out->Add("audits", "crime-recording/audits.jsonl", a);
    const double p = std::clamp(rate(rng), 0.75, 0.99);
    const int n = crimes(rng);
    std::bernoulli_distribution recorded(p), within(0.8);
    for (int i = 0; i < n; ++i) {
      v1::AuditedIncident inc;
      inc.set_incident_id(absl::StrFormat("synthetic-inc-%05d", i));
      const double u = static_cast<double>(i) / n;
      inc.set_stratum(u < 0.4   ? v1::VIOLENCE
                      : u < 0.6 ? v1::SEXUAL_OFFENCES
                                : v1::OTHER);
      auto* c = inc.add_crimes();
      c->set_recorded(recorded(rng));
      c->set_correctly_classified(c->recorded());
      c->set_recorded_within_24h(c->recorded() && within(rng));
      out->Add("audited-incidents",
               absl::StrCat("crime-recording/incidents-", force.slug, ".jsonl"),
               inc, absl::StrCat("--audit=", a.audit_id()));
    }
  }
}

}  // namespace peel::demo
