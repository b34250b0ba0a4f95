// Police force reference data.
//
// Source of population figures: ONS, Population estimates for the UK, England
// and Wales, Scotland and Northern Ireland: mid-2020, police force area table.
//
// Provenance and accuracy (read before relying on individual figures):
//  * Published anchors: England and Wales total 59,719,724 (England
//    56,550,138; Wales 3,169,586); London region 9,002,488. The Metropolitan
//    Police figure is the London region less the City of London (10,938), i.e.
//    the Metropolitan Police District, 8,991,550.
//  * The other per-force figures were compiled without access to the ONS
//    table itself, by summing recalled mid-2020 local-authority estimates
//    for the authorities in each police force area. They are expected to be
//    within about 0.5% of the published PFA figures but are not guaranteed
//    to match them digit for digit. Each ONS region's forces sum to within
//    0.25% of the published regional total, and the 43 forces sum to
//    59,702,463 (0.03% below the published total). Replace with the values
//    from the ONS table when it is to hand.
//
// ONS police force area codes are those of the ONS PFA geography (unchanged
// from 2016 to date; City of London is E23000034). British Transport Police
// has no police force area, so its code is empty and its population is 0.

#include "common/reference/forces.h"

#include <algorithm>
#include <cstddef>
#include <iterator>

#include "absl/strings/string_view.h"

namespace peel::reference {
namespace {

// Ordered by slug (byte-wise), as required by FindForce's binary search;
// checked by the static_asserts below.
constexpr Force kForces[] = {
    {"avon-and-somerset", "Avon and Somerset Constabulary", "E23000036",
     "South West", 1727262, true},
    {"bedfordshire", "Bedfordshire Police", "E23000026", "East of England",
     682475, true},
    {"btp", "British Transport Police", "", "National", 0, false},
    {"cambridgeshire", "Cambridgeshire Constabulary", "E23000023",
     "East of England", 860717, true},
    {"cheshire", "Cheshire Constabulary", "E23000006", "North West", 1071475,
     true},
    {"city-of-london", "City of London Police", "E23000034", "London", 10938,
     true},
    {"cleveland", "Cleveland Police", "E23000013", "North East", 569768, true},
    {"cumbria", "Cumbria Constabulary", "E23000002", "North West", 500012,
     true},
    {"derbyshire", "Derbyshire Constabulary", "E23000018", "East Midlands",
     1059996, true},
    {"devon-and-cornwall", "Devon and Cornwall Police", "E23000035",
     "South West", 1784725, true},
    {"dorset", "Dorset Police", "E23000039", "South West", 776780, true},
    {"durham", "Durham Constabulary", "E23000008", "North East", 637496, true},
    {"dyfed-powys", "Dyfed-Powys Police", "W15000004", "Wales", 522749, true},
    {"essex", "Essex Police", "E23000028", "East of England", 1856884, true},
    {"gloucestershire", "Gloucestershire Constabulary", "E23000037",
     "South West", 640650, true},
    {"greater-manchester", "Greater Manchester Police", "E23000005",
     "North West", 2848286, true},
    {"gwent", "Gwent Police", "W15000002", "Wales", 598194, true},
    {"hampshire", "Hampshire and Isle of Wight Constabulary", "E23000030",
     "South East", 2000445, true},
    {"hertfordshire", "Hertfordshire Constabulary", "E23000027",
     "East of England", 1195672, true},
    {"humberside", "Humberside Police", "E23000012", "Yorkshire and The Humber",
     933848, true},
    {"kent", "Kent Police", "E23000032", "South East", 1868873, true},
    {"lancashire", "Lancashire Constabulary", "E23000003", "North West",
     1515487, true},
    {"leicestershire", "Leicestershire Police", "E23000021", "East Midlands",
     1107451, true},
    {"lincolnshire", "Lincolnshire Police", "E23000020", "East Midlands",
     768364, true},
    {"merseyside", "Merseyside Police", "E23000004", "North West", 1429910,
     true},
    {"metropolitan", "Metropolitan Police Service", "E23000001", "London",
     8991550, true},
    {"norfolk", "Norfolk Constabulary", "E23000024", "East of England", 914039,
     true},
    {"north-wales", "North Wales Police", "W15000001", "Wales", 703432, true},
    {"north-yorkshire", "North Yorkshire Police", "E23000009",
     "Yorkshire and The Humber", 829066, true},
    {"northamptonshire", "Northamptonshire Police", "E23000022",
     "East Midlands", 753278, true},
    {"northumbria", "Northumbria Police", "E23000007", "North East", 1468901,
     true},
    {"nottinghamshire", "Nottinghamshire Police", "E23000019", "East Midlands",
     1165322, true},
    {"south-wales", "South Wales Police", "W15000003", "Wales", 1345719, true},
    {"south-yorkshire", "South Yorkshire Police", "E23000011",
     "Yorkshire and The Humber", 1415054, true},
    {"staffordshire", "Staffordshire Police", "E23000015", "West Midlands",
     1137926, true},
    {"suffolk", "Suffolk Constabulary", "E23000025", "East of England", 761350,
     true},
    {"surrey", "Surrey Police", "E23000031", "South East", 1199870, true},
    {"sussex", "Sussex Police", "E23000033", "South East", 1718170, true},
    {"thames-valley", "Thames Valley Police", "E23000029", "South East",
     2431730, true},
    {"warwickshire", "Warwickshire Police", "E23000017", "West Midlands",
     583786, true},
    {"west-mercia", "West Mercia Police", "E23000016", "West Midlands", 1302700,
     true},
    {"west-midlands", "West Midlands Police", "E23000014", "West Midlands",
     2939927, true},
    {"west-yorkshire", "West Yorkshire Police", "E23000010",
     "Yorkshire and The Humber", 2345235, true},
    {"wiltshire", "Wiltshire Police", "E23000038", "South West", 726951, true},
};

constexpr bool SortedUniqueBySlug() {
  for (std::size_t i = 1; i < std::size(kForces); ++i) {
    if (!(kForces[i - 1].slug < kForces[i].slug)) return false;
  }
  return true;
}

constexpr int CountInPeelScope() {
  int n = 0;
  for (const Force& force : kForces) {
    if (force.in_peel_scope) ++n;
  }
  return n;
}

constexpr int kPeelForceCount = CountInPeelScope();

static_assert(std::size(kForces) == 44, "43 territorial forces plus BTP");
static_assert(SortedUniqueBySlug(), "kForces must be strictly sorted by slug");
static_assert(kPeelForceCount == 43, "43 forces are in PEEL scope");

}  // namespace

absl::Span<const Force> AllForces() { return absl::MakeConstSpan(kForces); }

const Force* FindForce(absl::string_view slug) {
  const Force* const begin = std::begin(kForces);
  const Force* const end = std::end(kForces);
  const Force* it = std::lower_bound(
      begin, end, slug,
      [](const Force& force, absl::string_view s) { return force.slug < s; });
  if (it == end || it->slug != slug) return nullptr;
  return it;
}

int PeelForceCount() { return kPeelForceCount; }

}  // namespace peel::reference
