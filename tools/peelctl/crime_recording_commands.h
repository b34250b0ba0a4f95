#pragma once

#include <string>

#include "absl/status/status.h"

// peelctl's crime-recording commands: create an audit from JSON, import
// audited incidents from CSV, print a recording estimate.
namespace peel::peelctl {

absl::Status CreateAuditFromJson(const std::string& address,
                                 const std::string& json_path);

struct ImportOptions {
  std::string address;
  std::string path;
  std::string audit_id;  // for audited incidents
  int batch_size = 1000;
};
absl::Status ImportAuditedIncidents(const ImportOptions& options);

absl::Status PrintRecordingEstimate(const std::string& address,
                                    const std::string& audit_id, bool json);

}  // namespace peel::peelctl
