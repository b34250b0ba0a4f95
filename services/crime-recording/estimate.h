#pragma once

#include "peel/crimerecording/v1/crime_recording.pb.h"
#include "peel/crimerecording/v1/storage.pb.h"

// The crime data integrity statistics (DESIGN §3): stratum and overall
// recording rates with intervals, extrapolation to unrecorded and
// additionally recorded crimes, and the change wording. Pure functions of
// an audit and its maintained tallies.
namespace peel::crimerecording {


inline constexpr char kServiceName[] =
    "peel.crimerecording.v1.CrimeRecordingService";

v1::RecordingEstimate ComputeRecordingEstimate(
    const v1::Audit& audit, const v1::storage::AuditTally& tally);

// "improved" / "deteriorated" only when |p − p0| > z·sqrt(SE² + SE0²),
// with SE0 = published half width / z.
v1::Change CompareWithEarlier(double p, double se,
                              const v1::EarlierRate* earlier);

v1::CancellationCompliance ComputeCancellationCompliance(
    const v1::Audit& audit, const v1::storage::CancellationTally& tally);

}  // namespace peel::crimerecording
