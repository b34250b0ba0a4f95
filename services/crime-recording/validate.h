#pragma once

#include "absl/status/status.h"
#include "common/validation/field_violations.h"
#include "peel/crimerecording/v1/crime_recording.pb.h"

// Request and record validation for the crime-recording service. Each check
// names the bad field; nothing is stored for a record that fails.
namespace peel::crimerecording {


absl::Status ValidateAudit(const v1::Audit& audit);

// `audit` gives the strata a record may belong to.
void ValidateAuditedIncident(const v1::AuditedIncident& incident,
                             const v1::Audit& audit,
                             validation::FieldViolations* v);

void ValidateCancellationReview(const v1::CancellationReview& review,
                                validation::FieldViolations* v);

void ValidateIncidentLogEntry(const v1::IncidentLogEntry& entry,
                              validation::FieldViolations* v);

absl::Status ValidateDrawAuditSample(const v1::DrawAuditSampleRequest& r);

}  // namespace peel::crimerecording
