#pragma once

#include <array>
#include <cstdint>

#include "peel/soc/v1/soc_disruptions.pb.h"
#include "peel/soc/v1/storage.pb.h"

// The counts kept per force per month and per operation, as a plain struct
// for the ingest hot path, converted to and from storage::DisruptionTally at
// the store's edge. Adding is commutative, so any window of months is the
// sum of its months.
namespace peel::soc {

struct Counts {
  int64_t disruptions = 0;
  std::array<int64_t, v1::Pillar_ARRAYSIZE> by_pillar{};
  std::array<int64_t, v1::Magnitude_ARRAYSIZE> by_magnitude{};
  std::array<int64_t, v1::Tactic_ARRAYSIZE> by_tactic{};
  int64_t arrests = 0;
  int64_t charges = 0;
  int64_t people_safeguarded = 0;
  int64_t cash_pence = 0;
  int64_t drugs_grams = 0;
  int64_t firearms = 0;
  int64_t vehicles = 0;
  int64_t deal_lines_closed = 0;
  int64_t against_individuals = 0;
  // Earliest and latest disruption day; meaningful when disruptions > 0.
  int32_t first_day = 0;
  int32_t last_day = 0;

  // `d` is valid (enums in range, amounts non-negative); `day` its date.
  void Add(const v1::Disruption& d, int32_t day);
  void Merge(const Counts& other);

  static Counts FromTally(const v1::storage::DisruptionTally& t);
  v1::storage::DisruptionTally ToTally() const;
};

}  // namespace peel::soc
