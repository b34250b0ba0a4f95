// Serious organised crime demo: the Metropolitan Police groups and
// disruptions exactly as the soc-disruptions tests load them
// (services/soc-disruptions/tests/met_fixture.cc: 8,021 disruptions in the
// year to 30 June 2022, 4,795 the year before). Every other force gets
// synthetic groups and disruptions in the year to 30 June 2022 (ids
// "synthetic-..."), about 0.8 per 1,000 population, so the national
// comparison of disruptions per 1,000 population has 43 values.
#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"
#include "services/soc-disruptions/tests/met_fixture.h"
#include "tools/demo/generator/demo.h"

namespace peel::demo {
namespace {

namespace soc = ::peel::soc::v1;

constexpr int kGroupsPerForce = 4;

void WriteSyntheticForce(const reference::Force& force, std::mt19937_64& rng,
                         DemoWriter* out) {
  const std::string slug(force.slug);
  const soc::ThreatArea areas[] = {soc::DRUGS_SUPPLY, soc::COUNTY_LINES,
                                   soc::FIREARMS,
                                   soc::MODERN_SLAVERY_HUMAN_TRAFFICKING};
  for (int g = 0; g < kGroupsPerForce; ++g) {
    soc::OrganisedCrimeGroup group;
    group.set_group_id(absl::StrFormat("synthetic-%s-ocg-%d", slug, g));
    group.set_force(slug);
    group.add_threat_areas(areas[g]);
    group.set_threat_score(100 + 50 * g);
    group.set_threat_band(g < 2 ? soc::THREAT_BAND_HIGH
                                : soc::THREAT_BAND_MEDIUM);
    group.set_lead_responsible_officer_role("detective inspector");
    group.set_has_4p_plan(g % 2 == 0);
    group.set_status(soc::ACTIVE);
    group.set_active_from("2019-01-15");
    out->Add("groups", "soc-disruptions/groups.jsonl", group);
  }
  std::lognormal_distribution<double> rate(std::log(0.8), 0.3);
  const int n = static_cast<int>(std::lround(
      static_cast<double>(force.population_mid2020) / 1000 * rate(rng)));
  std::discrete_distribution<int> pillar({75, 10, 9, 6});
  std::discrete_distribution<int> magnitude({10, 40, 45, 5});
  const soc::Tactic tactics[] = {soc::ARREST, soc::CHARGE, soc::SEIZURE,
                                 soc::SAFEGUARDING, soc::ENGAGEMENT};
  std::uniform_int_distribution<int> month(0, 11), day(1, 28), group(-1, 3);
  for (int i = 0; i < n; ++i) {
    soc::Disruption d;
    d.set_disruption_id(absl::StrFormat("synthetic-%s-dis-%05d", slug, i));
    d.set_force(slug);
    const int g = group(rng);
    if (g >= 0) d.set_group_id(absl::StrFormat("synthetic-%s-ocg-%d", slug, g));
    const int m = 7 + month(rng);  // July 2021 .. June 2022
    d.set_date(absl::StrFormat("%04d-%02d-%02d", m > 12 ? 2022 : 2021,
                               m > 12 ? m - 12 : m, day(rng)));
    d.set_pillar(static_cast<soc::Pillar>(1 + pillar(rng)));
    d.set_magnitude(static_cast<soc::Magnitude>(1 + magnitude(rng)));
    d.set_tactic(tactics[i % 5]);
    if (d.tactic() == soc::ARREST) d.set_arrests(1);
    out->Add("disruptions", "soc-disruptions/disruptions-synthetic.jsonl", d);
  }
}

}  // namespace

void WriteSocDisruptions(std::mt19937_64& rng, DemoWriter* out) {
  namespace fixture = ::peel::soc::testing;
  for (const auto& g : fixture::MetGroups()) {
    out->Add("groups", "soc-disruptions/groups.jsonl", g);
  }
  for (const auto& d : fixture::MetDisruptions()) {
    out->Add("disruptions", "soc-disruptions/disruptions-metropolitan.jsonl",
             d);
  }
  for (const auto& force : reference::AllForces()) {
    if (!force.in_peel_scope || force.slug == "metropolitan") continue;
    WriteSyntheticForce(force, rng, out);
  }
}

}  // namespace peel::demo
