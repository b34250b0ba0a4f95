#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/crime-recording/store.h"

// Stratified random sampling of a force's incident log for an audit.
// Each incident gets a score from a keyed hash of (seed, incident id); a
// stratum's sample is its `size` lowest-scoring incidents opened in the
// period. The sample depends only on the log's content and the seed, not on
// the order incidents were loaded, so the same log and seed always give the
// same sample.
namespace peel::crimerecording {

uint64_t SampleScore(uint64_t seed, absl::string_view incident_id);

absl::StatusOr<std::vector<v1::SampledIncident>> DrawAuditSample(
    const CrimeRecordingStore& store, const v1::DrawAuditSampleRequest& req);

}  // namespace peel::crimerecording
