#pragma once

#include <string>
#include <vector>

#include "common/reference/forces.h"

namespace peel::bench {

// The 43 forces in PEEL scope, Metropolitan first.
inline const std::vector<std::string>& PeelForces() {
  static const auto* forces = [] {
    auto* out = new std::vector<std::string>{"metropolitan"};
    for (const auto& f : peel::reference::AllForces()) {
      if (f.in_peel_scope && f.slug != "metropolitan") {
        out->emplace_back(f.slug);
      }
    }
    return out;
  }();
  return *forces;
}

// Mixes i into a well-spread 64-bit value (records' pseudo-random fields).
inline uint64_t Mix(int64_t i) {
  uint64_t z = static_cast<uint64_t>(i) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace peel::bench
