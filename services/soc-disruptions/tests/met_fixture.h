#pragma once

#include <vector>

#include "peel/soc/v1/soc_disruptions.pb.h"

// Record-level organised crime groups and disruptions for the Metropolitan
// Police Service, laid out so that the figures they yield match the
// published ones (PEEL 2021/22, "Disrupting serious organised crime"):
//   - 4,795 disruptions in the year to 30 June 2021 and 8,021 in the year to
//     30 June 2022, the latter 78% pursue, 10% protect, 7% prevent,
//     5% prepare (6,257 / 802 / 561 / 401);
//   - a project running since 2018 whose disruptions seized 261 vehicles,
//     743 kg of drugs and 15 firearms and recovered £2.4m in cash;
//   - Operation Orochi: 952 county deal lines closed and over 2,000 arrests.
// The year to 30 June 2021's pillar split, the magnitudes, tactics and the
// groups are not published: they are chosen here and documented in
// met_fixture.cc. Ids are opaque tokens.
namespace peel::soc::testing {

namespace v1 = ::peel::soc::v1;

inline constexpr char kProject[] = "project-2018";
inline constexpr char kOrochi[] = "orochi";
inline constexpr int kMetGroups = 150;

// met-ocg-000 .. met-ocg-149:
//   000..119 active since 2018, disrupted in both years;
//   120..129 active since 2018, disrupted only in the year to June 2021;
//   130..139 mapped on 2022-01-15, disrupted after that;
//   140..149 archived on 2021-03-31, disrupted only before that.
// A 4P plan for the drugs supply, county lines and firearms groups
// (group number % 7 in {0, 1, 2}).
std::vector<v1::OrganisedCrimeGroup> MetGroups();
// A Kent group, for a disruption that claims the wrong force.
v1::OrganisedCrimeGroup KentGroup();
std::vector<v1::Disruption> MetDisruptions();

// Splits disruptions into batches of `size`, numbered from 1.
std::vector<v1::DisruptionBatch> Batches(
    const std::vector<v1::Disruption>& disruptions, int size);

}  // namespace peel::soc::testing
