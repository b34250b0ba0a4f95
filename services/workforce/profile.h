#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "peel/workforce/v1/storage.pb.h"
#include "peel/workforce/v1/workforce.pb.h"
#include "services/workforce/counters.h"
#include "services/workforce/store.h"

// The workforce profile as pure functions of the maintained counters: the
// sums as at the date and as at 12 months before, the uplift target, the
// population reference and the quarterly wait tallies.
namespace peel::workforce {

struct ProfileInputs {
  std::string force;
  int32_t as_of = 0;
  CounterSums at_end;    // as at as_of
  CounterSums at_start;  // as at as_of − 12 months
  std::optional<v1::UpliftTarget> target;
  std::optional<v1::PopulationReference> population;
  std::vector<std::pair<int32_t, v1::storage::WaitTally>> waits;
  int32_t first_quarter = 0;  // quarters [first_quarter, last_quarter]
  int32_t last_quarter = 0;
};

v1::WorkforceProfile ComputeProfile(const ProfileInputs& in);

// Validates the request, reads the store and computes.
absl::StatusOr<v1::WorkforceProfile> BuildProfile(
    const WorkforceStore& store, const v1::GetWorkforceProfileRequest& req);

absl::StatusOr<v1::NationalWorkforce> BuildNationalView(
    const WorkforceStore& store, const v1::GetNationalWorkforceRequest& req);

}  // namespace peel::workforce
