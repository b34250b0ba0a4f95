#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/reference/forces.h"
#include "peel/gateway/v1/gateway.pb.h"
#include "services/gateway/adapter.h"

// Assembles a force assessment from what the backends answered, the
// recorded judgments and the grading policy. Pure: no I/O.
namespace peel::gateway {

// A national comparison as cached: shared, never copied per assessment.
using SharedComparison =
    std::shared_ptr<const absl::StatusOr<v1::ForceComparison>>;

struct BackendOutcome {
  v1::Backend backend = v1::BACKEND_UNSPECIFIED;
  std::vector<std::string> addresses;
  bool configured = false;
  // OK with evidence, or why the backend's areas are unavailable.
  absl::Status status = absl::UnavailableError("not asked");
  ForceEvidence evidence;
  int64_t latency_micros = 0;
  // National comparisons of the backend's comparable metrics.
  std::map<std::string, SharedComparison> comparisons;
};

v1::ForceAssessment Assemble(const reference::Force& force,
                             const peel::common::v1::Period& period,
                             const v1::GradingPolicy& policy,
                             const v1::ListJudgmentsResponse& recorded,
                             const std::vector<BackendOutcome>& outcomes);

}  // namespace peel::gateway
