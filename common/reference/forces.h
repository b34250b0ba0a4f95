// Reference data for the police forces of England and Wales: the 43
// territorial forces inspected under HMICFRS PEEL plus British Transport
// Police (which is not in PEEL scope and has no police force area).
//
// Population figures are ONS mid-2020 estimates for the police force area;
// see forces.cc for the source and caveats.

#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace peel::reference {

struct Force {
  // Force identifier exactly as used by data.police.uk (e.g. "metropolitan").
  absl::string_view slug;
  // Full force name (e.g. "Metropolitan Police Service").
  absl::string_view name;
  // ONS police force area code: E23000001..E23000039 (England) or
  // W15000001..W15000004 (Wales). Empty for British Transport Police, which
  // has no police force area.
  absl::string_view ons_code;
  // ONS region name ("London", "North West", ..., "Wales"); "National" for
  // British Transport Police.
  absl::string_view region;
  // ONS mid-2020 resident population estimate of the police force area. For
  // "metropolitan" this is the Metropolitan Police District, which excludes
  // the City of London. 0 for British Transport Police.
  int64_t population_mid2020;
  // True for the 43 territorial forces covered by PEEL; false for BTP.
  bool in_peel_scope;
};

// All 44 forces, ordered by slug (byte-wise ascending). The span refers to
// static storage and is valid for the life of the program.
absl::Span<const Force> AllForces();

// Returns the force with the given data.police.uk slug, or nullptr when the
// slug is unknown. Matching is exact and case-sensitive.
const Force* FindForce(absl::string_view slug);

// Number of forces in PEEL scope (43).
int PeelForceCount();

}  // namespace peel::reference
