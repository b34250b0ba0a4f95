#pragma once

#include <vector>

#include "absl/strings/string_view.h"
#include "peel/gateway/v1/gateway.pb.h"

// The gateway's fixed reference tables: the eleven areas (DESIGN §4), the
// four backends and the metric catalogue. The catalogue is what the grading
// policy may name and what CompareForces accepts.
namespace peel::gateway {

struct AreaInfo {
  v1::Area area;
  absl::string_view name;  // as the report heads the section
  bool graded;
  std::vector<v1::Backend> evidence;  // backends whose figures inform it
};

// The eleven areas in report order.
const std::vector<AreaInfo>& Areas();
const AreaInfo* FindArea(v1::Area area);

struct BackendInfo {
  v1::Backend backend;
  absl::string_view service;  // full gRPC service name
  absl::string_view flag;     // the gateway flag naming its address
};
const std::vector<BackendInfo>& Backends();
const BackendInfo& BackendOf(v1::Backend backend);

const std::vector<v1::Metric>& Metrics();
const v1::Metric* FindMetric(absl::string_view id);

// Metric ids the adapters fill.
namespace metric {
inline constexpr char kRecordingRate[] = "crime_recording.rate";
inline constexpr char kRecordingViolence[] = "crime_recording.violence_rate";
inline constexpr char kRecordingSexual[] =
    "crime_recording.sexual_offences_rate";
inline constexpr char kRecordingWithin24h[] = "crime_recording.within_24h";
inline constexpr char kRecordingVulnerable[] =
    "crime_recording.vulnerable_victim_rate";
inline constexpr char kRecordingUnrecorded[] =
    "crime_recording.unrecorded_estimate";
inline constexpr char k999Within10s[] = "calls.999_within_10s";
inline constexpr char k101Abandoned[] = "calls.101_abandoned";
inline constexpr char kVsaThrive[] = "vsa.thrive_assessment";
inline constexpr char kVsaVulnerability[] = "vsa.vulnerability_checked";
inline constexpr char kVsaRepeatIdentified[] = "vsa.repeat_victim_identified";
inline constexpr char kVsaRepeatRecorded[] = "vsa.repeat_victim_recorded";
inline constexpr char kVsaEvidenceAdvice[] = "vsa.evidence_advice";
inline constexpr char kVsaPreventionAdvice[] = "vsa.crime_prevention_advice";
inline constexpr char kVsaAllocated[] = "vsa.allocated_per_policy";
inline constexpr char kVsaArrest[] = "vsa.arrest_earliest_opportunity";
inline constexpr char kWorkforceEthnicMinority[] =
    "workforce.ethnic_minority_share";
inline constexpr char kWorkforceUplift[] = "workforce.uplift_progress";
inline constexpr char kWorkforceOhWait[] = "workforce.oh_wait_days";
inline constexpr char kWorkforceLeaverRate[] = "workforce.leaver_rate";
inline constexpr char kSocDisruptions[] = "soc.disruptions";
inline constexpr char kSocDisruptionsPer1000[] = "soc.disruptions_per_1000";
inline constexpr char kSocPursueShare[] = "soc.pursue_share";
}  // namespace metric

}  // namespace peel::gateway
