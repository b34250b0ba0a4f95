#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "peel/victimservice/v1/storage.pb.h"
#include "peel/victimservice/v1/victim_service.pb.h"
#include "services/victim-service/store.h"

// The victim-service statistics (DESIGN §3): check figures with wording and
// Wilson intervals, and 999/101 call handling from maintained tallies. Pure
// functions of stored aggregates, except the two Read* helpers which fetch
// those aggregates (a bounded number of keys, never records).
namespace peel::victimservice {

inline constexpr char kServiceName[] = "peel.victimservice.v1.VictimService";
inline constexpr double kEmergencyTarget = 0.90;    // answered within 10 s
inline constexpr double kAbandonmentTarget = 0.10;  // 101 calls abandoned
inline constexpr int kMaxSummaryMonths = 120;

// ≥95% almost all, 75–94% most, 50–74% more than half, 25–49% less than
// half, <25% only (on whole percentages, as the reports word them).
v1::Wording WordingFor(double p);

v1::CheckSummary ComputeCheckSummary(const v1::Assessment& assessment,
                                     const std::vector<CheckTallyCell>& cells,
                                     v1::FileType file_type,
                                     v1::OffenceGroup offence_group);

// The nearest-rank q-quantile (k = ceil(q·n)) of a tally's answered calls,
// interpolated inside the histogram bucket holding it: within 1 s of the
// exact value below 600 s, within 10 s up to 3,600 s. q in (0, 1]. 0 when
// nothing was answered.
double HistogramQuantileSeconds(const v1::storage::CallTally& tally, double q);

void MergeCallTally(const v1::storage::CallTally& from,
                    v1::storage::CallTally* into);

v1::AnswerTimes ComputeAnswerTimes(const v1::storage::CallTally& tally);

// One force's month-by-month inputs.
struct MonthInputs {
  v1::storage::CallTally emergency;      // empty when no 999 records
  v1::storage::CallTally non_emergency;  // empty when no 101 records
  const v1::MonthlyCallAggregate* published = nullptr;
};

// Figures over a set of months: 999 records where a month has any, the
// published month otherwise.
v1::CallHandlingFigures ComputeCallFigures(
    const std::vector<const MonthInputs*>& months,
    const peel::common::v1::Provenance& provenance);

absl::StatusOr<v1::CallHandlingSummary> ReadCallHandlingSummary(
    const VictimServiceStore& store,
    const v1::GetCallHandlingSummaryRequest& req);

absl::StatusOr<v1::NationalCallHandling> ReadNationalCallHandling(
    const VictimServiceStore& store,
    const v1::GetNationalCallHandlingRequest& req);

}  // namespace peel::victimservice
