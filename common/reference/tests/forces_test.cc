#include "common/reference/forces.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace peel::reference {
namespace {

// ONS mid-2020 estimate for England and Wales.
constexpr int64_t kEnglandAndWalesMid2020 = 59'719'724;

bool IsDigits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// Parses "E23000017" -> 17 given prefix "E23"; returns -1 on bad shape.
int PfaNumber(absl::string_view code, absl::string_view prefix) {
  if (code.size() != 9 || code.substr(0, 3) != prefix) return -1;
  absl::string_view digits = code.substr(3);
  if (!IsDigits(digits)) return -1;
  return std::stoi(std::string(digits));
}

TEST(ForcesTest, Has44Entries) { EXPECT_EQ(AllForces().size(), 44u); }

TEST(ForcesTest, FortyThreeInPeelScope) {
  int in_scope = 0;
  for (const Force& force : AllForces()) {
    if (force.in_peel_scope) ++in_scope;
  }
  EXPECT_EQ(in_scope, 43);
  EXPECT_EQ(PeelForceCount(), 43);
}

TEST(ForcesTest, SlugsAreUniqueAndSorted) {
  absl::Span<const Force> forces = AllForces();
  for (size_t i = 1; i < forces.size(); ++i) {
    EXPECT_LT(forces[i - 1].slug, forces[i].slug) << "at index " << i;
  }
  std::set<absl::string_view> slugs;
  for (const Force& force : forces) {
    EXPECT_TRUE(slugs.insert(force.slug).second) << force.slug;
    EXPECT_FALSE(force.name.empty()) << force.slug;
  }
}

TEST(ForcesTest, OnsCodesAreUniqueAndWellFormed) {
  std::set<int> english;
  std::set<int> welsh;
  std::set<absl::string_view> codes;
  for (const Force& force : AllForces()) {
    if (!force.in_peel_scope) {
      EXPECT_TRUE(force.ons_code.empty()) << force.slug;
      continue;
    }
    EXPECT_TRUE(codes.insert(force.ons_code).second) << force.ons_code;
    if (force.region == "Wales") {
      int n = PfaNumber(force.ons_code, "W15");
      EXPECT_GE(n, 1) << force.slug << " " << force.ons_code;
      EXPECT_LE(n, 4) << force.slug << " " << force.ons_code;
      welsh.insert(n);
    } else {
      int n = PfaNumber(force.ons_code, "E23");
      EXPECT_GE(n, 1) << force.slug << " " << force.ons_code;
      EXPECT_LE(n, 39) << force.slug << " " << force.ons_code;
      english.insert(n);
    }
  }
  // Every PFA code is used exactly once.
  EXPECT_EQ(english.size(), 39u);
  EXPECT_EQ(welsh.size(), 4u);
}

TEST(ForcesTest, KnownOnsCodes) {
  const std::map<absl::string_view, absl::string_view> expected = {
      {"metropolitan", "E23000001"}, {"city-of-london", "E23000034"},
      {"north-wales", "W15000001"},  {"gwent", "W15000002"},
      {"south-wales", "W15000003"},  {"dyfed-powys", "W15000004"},
  };
  for (const auto& [slug, code] : expected) {
    const Force* force = FindForce(slug);
    ASSERT_NE(force, nullptr) << slug;
    EXPECT_EQ(force->ons_code, code) << slug;
  }
}

TEST(ForcesTest, RegionsAreOnsRegions) {
  const std::set<absl::string_view> regions = {"London",
                                               "South East",
                                               "South West",
                                               "East of England",
                                               "East Midlands",
                                               "West Midlands",
                                               "Yorkshire and The Humber",
                                               "North West",
                                               "North East",
                                               "Wales"};
  for (const Force& force : AllForces()) {
    if (force.in_peel_scope) {
      EXPECT_TRUE(regions.count(force.region)) << force.slug;
    } else {
      EXPECT_EQ(force.region, "National") << force.slug;
    }
  }
}

TEST(ForcesTest, RegionTotalsCloseToPublishedFigures) {
  // ONS mid-2020 region totals (they sum to the England and Wales total).
  const std::map<absl::string_view, int64_t> published = {
      {"North East", 2'680'763},
      {"North West", 7'367'456},
      {"Yorkshire and The Humber", 5'526'350},
      {"East Midlands", 4'865'583},
      {"West Midlands", 5'961'929},
      {"East of England", 6'269'161},
      {"London", 9'002'488},
      {"South East", 9'217'265},
      {"South West", 5'659'143},
      {"Wales", 3'169'586},
  };
  int64_t published_sum = 0;
  for (const auto& [region, population] : published) {
    published_sum += population;
  }
  ASSERT_EQ(published_sum, kEnglandAndWalesMid2020);

  std::map<absl::string_view, int64_t> totals;
  for (const Force& force : AllForces()) {
    if (force.in_peel_scope) totals[force.region] += force.population_mid2020;
  }
  for (const auto& [region, population] : published) {
    EXPECT_NEAR(static_cast<double>(totals[region]),
                static_cast<double>(population), 0.005 * population)
        << region;
  }
}

TEST(ForcesTest, PopulationsArePositiveExceptBtp) {
  for (const Force& force : AllForces()) {
    if (force.in_peel_scope) {
      EXPECT_GT(force.population_mid2020, 0) << force.slug;
    } else {
      EXPECT_EQ(force.population_mid2020, 0) << force.slug;
    }
  }
}

TEST(ForcesTest, MetropolitanPopulationIs899Million) {
  const Force* met = FindForce("metropolitan");
  ASSERT_NE(met, nullptr);
  EXPECT_EQ(met->name, "Metropolitan Police Service");
  // Rounds to 8.99 million.
  EXPECT_EQ(std::lround(static_cast<double>(met->population_mid2020) / 1e4),
            899);
}

TEST(ForcesTest, MetropolitanRatePerThousandRoundsTo34Point6) {
  const Force* met = FindForce("metropolitan");
  ASSERT_NE(met, nullptr);
  double rate = 311295.0 / static_cast<double>(met->population_mid2020) * 1000;
  EXPECT_EQ(std::lround(rate * 10), 346) << rate;
}

TEST(ForcesTest, PeelTotalWithinHalfPercentOfEnglandAndWales) {
  int64_t total = 0;
  for (const Force& force : AllForces()) {
    if (force.in_peel_scope) total += force.population_mid2020;
  }
  EXPECT_NEAR(static_cast<double>(total),
              static_cast<double>(kEnglandAndWalesMid2020),
              0.005 * kEnglandAndWalesMid2020);
}

TEST(ForcesTest, FindForceReturnsEntriesFromAllForces) {
  absl::Span<const Force> forces = AllForces();
  for (const Force& force : forces) {
    const Force* found = FindForce(force.slug);
    ASSERT_NE(found, nullptr) << force.slug;
    EXPECT_EQ(found, &force);
  }
}

TEST(ForcesTest, FindForceUnknownReturnsNull) {
  EXPECT_EQ(FindForce("unknown"), nullptr);
  EXPECT_EQ(FindForce(""), nullptr);
  EXPECT_EQ(FindForce("Metropolitan"), nullptr);
  EXPECT_EQ(FindForce("metropolitan "), nullptr);
  EXPECT_EQ(FindForce("zzz"), nullptr);
  EXPECT_EQ(FindForce("a"), nullptr);
}

TEST(ForcesTest, BritishTransportPolice) {
  const Force* btp = FindForce("btp");
  ASSERT_NE(btp, nullptr);
  EXPECT_EQ(btp->name, "British Transport Police");
  EXPECT_FALSE(btp->in_peel_scope);
  EXPECT_TRUE(btp->ons_code.empty());
  EXPECT_EQ(btp->region, "National");
  EXPECT_EQ(btp->population_mid2020, 0);
}

}  // namespace
}  // namespace peel::reference
