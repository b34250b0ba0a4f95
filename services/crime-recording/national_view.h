#pragma once

#include "absl/status/statusor.h"
#include "services/crime-recording/store.h"

namespace peel::crimerecording {

// One recording rate per force: for each force, its latest audit whose
// period ends within `req.period`, with that audit's headline estimate.
// Reads audits and their tallies only, never the audited incidents.
absl::StatusOr<v1::NationalRecordingRates> ComputeNationalRates(
    const CrimeRecordingStore& store,
    const v1::GetNationalRecordingRatesRequest& req);

}  // namespace peel::crimerecording
