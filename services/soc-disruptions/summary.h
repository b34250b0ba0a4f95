#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "peel/soc/v1/soc_disruptions.pb.h"
#include "peel/soc/v1/storage.pb.h"
#include "services/soc-disruptions/tally.h"

// The disruption statistics (DESIGN §3 "SOC disruptions"): counts and shares
// by pillar and magnitude, change on the previous 12 months, per 1,000
// population, seizures, 4P plan coverage. Pure functions of maintained
// aggregates; shares of recorded disruptions are counts of a whole
// population, not a sample, so they carry their ratio and no interval.
namespace peel::soc {

inline constexpr char kServiceName[] = "peel.soc.v1.SocDisruptionService";
inline constexpr size_t kMaxListedGroups = 1000;

// What the summary needs to know about a force's groups for one period.
struct GroupCounts {
  int64_t active_at_end = 0;       // active on the period's last day
  int64_t with_4p_plan = 0;        // of those, with a 4P plan
  int64_t active_in_period = 0;    // active on at least one day of the period
  int64_t without_disruption = 0;  // of those, no disruption in the period
  std::vector<std::string> without_disruption_ids;  // first kMaxListedGroups
};

// Folds one group into `counts` for the 12 months from `first_month`.
void CountGroup(absl::string_view group_id,
                const v1::storage::GroupState& state, int32_t first_month,
                GroupCounts* counts);

// `population`: the force's ONS mid-2020 population.
v1::DisruptionSummary ComputeDisruptionSummary(
    absl::string_view force, int64_t population, int32_t first_month,
    const Counts& current, const Counts& previous, const GroupCounts& groups);

v1::OperationSummary ComputeOperationSummary(absl::string_view force,
                                             absl::string_view operation,
                                             const Counts& counts);

struct ForceYear {
  std::string force;
  int64_t population = 0;
  Counts counts;
};

// Forces with disruptions, compared on disruptions per 1,000 population.
v1::NationalDisruptions ComputeNationalDisruptions(
    int32_t first_month, const std::vector<ForceYear>& forces);

// The period of 12 months from `first_month`, as ISO dates.
peel::common::v1::Period PeriodOfMonths(int32_t first_month, int months);

}  // namespace peel::soc
