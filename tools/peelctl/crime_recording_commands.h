#pragma once

#include <string>

#include "absl/status/status.h"

// peelctl's crime-recording commands: print a recording estimate.
namespace peel::peelctl {

absl::Status PrintRecordingEstimate(const std::string& address,
                                    const std::string& audit_id, bool json);

}  // namespace peel::peelctl
