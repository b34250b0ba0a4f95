#include "services/soc-disruptions/tests/met_fixture.h"

#include <array>

#include "absl/strings/str_format.h"
#include "common/util/dates.h"

namespace peel::soc::testing {

namespace {

constexpr std::array<v1::ThreatArea, 7> kAreas = {
    v1::DRUGS_SUPPLY, v1::COUNTY_LINES,
    v1::FIREARMS,     v1::MODERN_SLAVERY_HUMAN_TRAFFICKING,
    v1::FRAUD,        v1::MONEY_LAUNDERING,
    v1::CYBER};

std::string GroupId(int i) { return absl::StrFormat("met-ocg-%03d", i); }

int32_t Day(const char* iso) { return *dates::ParseIsoDate(iso); }

// One year's disruptions: `counts` per pillar (pursue, protect, prevent,
// prepare), spread evenly over the 365 days from `first`, the pillars
// interleaved so that every part of the year has each of them.
struct Year {
  int32_t first;
  std::array<int, 4> counts;
};

std::vector<v1::Pillar> Interleave(const std::array<int, 4>& counts) {
  static constexpr std::array<v1::Pillar, 4> kOrder = {
      v1::PURSUE, v1::PROTECT, v1::PREVENT, v1::PREPARE};
  int total = 0;
  for (int c : counts) total += c;
  std::vector<v1::Pillar> out;
  out.reserve(static_cast<size_t>(total));
  std::array<int, 4> used{};
  for (int k = 0; k < total; ++k) {
    // Pick the pillar with the largest deficit: counts[p]*(k+1)/total − used.
    size_t best = 0;
    double best_deficit = -1e18;
    for (size_t p = 0; p < 4; ++p) {
      if (used[p] >= counts[p]) continue;
      const double deficit =
          static_cast<double>(counts[p]) * (k + 1) / total - used[p];
      if (deficit > best_deficit) {
        best_deficit = deficit;
        best = p;
      }
    }
    ++used[best];
    out.push_back(kOrder[best]);
  }
  return out;
}

v1::Magnitude MagnitudeAt(int k) {
  const int b =
      k % 100;  // 12% major, 33% moderate, 45% minor, 8% none, 2% negative
  if (b < 12) return v1::MAJOR;
  if (b < 45) return v1::MODERATE;
  if (b < 90) return v1::MINOR;
  if (b < 98) return v1::NO_IMPACT;
  return v1::NEGATIVE;
}

// The everyday detail of a disruption that is not part of a named project.
void FillRoutine(v1::Disruption* d, int k) {
  switch (d->pillar()) {
    case v1::PURSUE: {
      static constexpr std::array<v1::Tactic, 5> kPursue = {
          v1::ARREST, v1::CHARGE, v1::SEIZURE, v1::CONVICTION, v1::ORDER};
      d->set_tactic(kPursue[static_cast<size_t>(k % 5)]);
      break;
    }
    case v1::PROTECT:
      d->set_tactic(v1::SAFEGUARDING);
      break;
    case v1::PREVENT:
      d->set_tactic(v1::ENGAGEMENT);
      break;
    default:
      d->set_tactic(k % 2 == 0 ? v1::ENGAGEMENT : v1::OTHER_TACTIC);
      break;
  }
  switch (d->tactic()) {
    case v1::ARREST:
      d->set_arrests(1 + k % 3);
      break;
    case v1::CHARGE:
      d->set_arrests(1);
      d->set_charges(1 + k % 2);
      break;
    case v1::SEIZURE:
      d->mutable_seizures()->set_cash_pence(int64_t{25000} * (k % 5));
      d->mutable_seizures()->set_drugs_grams(50 * (k % 4));
      d->mutable_seizures()->set_vehicles(k % 9 == 0 ? 1 : 0);
      break;
    case v1::SAFEGUARDING:
      d->set_people_safeguarded(1 + k % 4);
      break;
    default:
      break;
  }
}

// The group a routine disruption on `day` is recorded against ("" for an
// individual), following the group layout in met_fixture.h.
std::string GroupFor(int k, int32_t day, bool second_year) {
  if (k % 7 == 0) return "";
  if (k % 11 == 1) {
    if (!second_year) {
      return GroupId(day < Day("2021-03-31") ? 140 + k % 10 : 120 + k % 10);
    }
    if (day >= Day("2022-01-15")) return GroupId(130 + k % 10);
  }
  return GroupId(k % 120);
}

// Spreads `total` over `n` records: the first total % n get one more.
int64_t ShareOf(int64_t total, int n, int i) {
  return total / n + (i < total % n ? 1 : 0);
}

}  // namespace

std::vector<v1::OrganisedCrimeGroup> MetGroups() {
  std::vector<v1::OrganisedCrimeGroup> out;
  for (int i = 0; i < kMetGroups; ++i) {
    v1::OrganisedCrimeGroup g;
    g.set_group_id(GroupId(i));
    g.set_force("metropolitan");
    g.add_threat_areas(kAreas[static_cast<size_t>(i % 7)]);
    if (i % 7 == 1) g.add_threat_areas(v1::DRUGS_SUPPLY);  // county lines
    g.set_threat_score(100 + (i * 37) % 900);
    g.set_threat_band(g.threat_score() >= 700   ? v1::THREAT_BAND_HIGH
                      : g.threat_score() >= 400 ? v1::THREAT_BAND_MEDIUM
                                                : v1::THREAT_BAND_LOW);
    g.set_lead_responsible_officer_role(i % 3 == 0 ? "detective chief inspector"
                                                   : "detective inspector");
    g.set_has_4p_plan(i % 7 <= 2);
    g.set_status(v1::ACTIVE);
    g.set_active_from(i >= 130 && i < 140 ? "2022-01-15" : "2018-01-01");
    if (i >= 140) {
      g.set_status(v1::ARCHIVED);
      g.set_archived_on("2021-03-31");
    }
    out.push_back(std::move(g));
  }
  return out;
}

v1::OrganisedCrimeGroup KentGroup() {
  v1::OrganisedCrimeGroup g;
  g.set_group_id("kent-ocg-001");
  g.set_force("kent");
  g.add_threat_areas(v1::COUNTY_LINES);
  g.set_threat_score(500);
  g.set_threat_band(v1::THREAT_BAND_MEDIUM);
  g.set_lead_responsible_officer_role("detective inspector");
  g.set_has_4p_plan(true);
  g.set_status(v1::ACTIVE);
  g.set_active_from("2019-05-01");
  return g;
}

std::vector<v1::Disruption> MetDisruptions() {
  std::vector<v1::Disruption> out;
  int serial = 0;
  auto make = [&](int32_t day, v1::Pillar pillar, int k) {
    v1::Disruption d;
    d.set_disruption_id(absl::StrFormat("met-d%06d", serial++));
    d.set_force("metropolitan");
    d.set_date(dates::FormatIsoDate(day));
    d.set_pillar(pillar);
    d.set_magnitude(MagnitudeAt(k));
    return d;
  };

  // Project and Orochi disruptions before the two years (not counted in
  // them): the project from January 2018, Orochi from November 2019.
  std::vector<size_t> project, orochi;
  const int32_t project_start = Day("2018-01-01");
  const int32_t orochi_start = Day("2019-11-01");
  const int32_t before = Day("2020-07-01");
  for (int k = 0; k < 40; ++k) {
    v1::Disruption d =
        make(project_start + (before - project_start) * k / 40, v1::PURSUE, k);
    d.set_group_id(GroupId(k % 120));
    project.push_back(out.size());
    out.push_back(std::move(d));
  }
  for (int k = 0; k < 40; ++k) {
    v1::Disruption d =
        make(orochi_start + (before - orochi_start) * k / 40, v1::PURSUE, k);
    d.set_group_id(GroupId((k * 7) % 120));
    orochi.push_back(out.size());
    out.push_back(std::move(d));
  }

  // The two published years. The year to June 2021's split is not
  // published: 81% / 9% / 6% / 4% is chosen here.
  const std::array<Year, 2> years = {
      Year{Day("2020-07-01"), {3884, 431, 288, 192}},
      Year{Day("2021-07-01"), {6257, 802, 561, 401}}};
  for (size_t y = 0; y < years.size(); ++y) {
    const std::vector<v1::Pillar> pillars = Interleave(years[y].counts);
    const int n = static_cast<int>(pillars.size());
    int in_project = 0, in_orochi = 0;
    for (int k = 0; k < n; ++k) {
      const int32_t day =
          years[y].first + static_cast<int32_t>(int64_t{365} * k / n);
      v1::Disruption d = make(day, pillars[static_cast<size_t>(k)], k);
      const bool pursue = d.pillar() == v1::PURSUE;
      if (pursue && k % 61 == 3 && in_project < 40) {
        d.set_group_id(GroupId(k % 120));
        project.push_back(out.size());
        ++in_project;
      } else if (pursue && k % 61 == 20 && in_orochi < 50) {
        d.set_group_id(GroupId((k * 7) % 120));
        orochi.push_back(out.size());
        ++in_orochi;
      } else {
        d.set_group_id(GroupFor(k, day, y == 1));
        FillRoutine(&d, k);
      }
      out.push_back(std::move(d));
    }
  }

  // The project's published totals, spread over its disruptions.
  const int np = static_cast<int>(project.size());
  for (int i = 0; i < np; ++i) {
    v1::Disruption& d = out[project[static_cast<size_t>(i)]];
    d.set_operation(kProject);
    d.set_tactic(v1::SEIZURE);
    auto* s = d.mutable_seizures();
    s->set_vehicles(ShareOf(261, np, i));
    s->set_drugs_grams(ShareOf(743000, np, i));
    s->set_firearms(ShareOf(15, np, i));
    s->set_cash_pence(ShareOf(240000000, np, i));  // £2.4m
    d.set_arrests(static_cast<int32_t>(ShareOf(180, np, i)));
  }
  // Orochi: 952 deal lines closed, 2,041 arrests ("over 2,000").
  const int no = static_cast<int>(orochi.size());
  for (int i = 0; i < no; ++i) {
    v1::Disruption& d = out[orochi[static_cast<size_t>(i)]];
    d.set_operation(kOrochi);
    d.set_tactic(v1::DEAL_LINE_CLOSURE);
    d.set_deal_lines_closed(static_cast<int32_t>(ShareOf(952, no, i)));
    d.set_arrests(static_cast<int32_t>(ShareOf(2041, no, i)));
    d.set_charges(static_cast<int32_t>(ShareOf(1200, no, i)));
  }
  return out;
}

std::vector<v1::DisruptionBatch> Batches(
    const std::vector<v1::Disruption>& disruptions, int size) {
  std::vector<v1::DisruptionBatch> out;
  for (size_t i = 0; i < disruptions.size(); i += static_cast<size_t>(size)) {
    v1::DisruptionBatch b;
    b.set_sequence(out.size() + 1);
    for (size_t j = i; j < disruptions.size() && j < i + size; ++j) {
      *b.add_disruptions() = disruptions[j];
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace peel::soc::testing
