#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"
#include "common/validation/field_violations.h"
#include "peel/common/v1/common.pb.h"

// Checks shared by every service's requests. Each adds at most one violation
// per field to `v` and returns whether the field was valid.
namespace peel::validation {

// Known police.uk slug (see common/reference/forces.h).
bool CheckForce(absl::string_view field, absl::string_view slug,
                FieldViolations* v);

// Client-supplied ids: 1..128 printable ASCII characters, no spaces.
bool CheckId(absl::string_view field, absl::string_view id, FieldViolations* v);

// A period whose dates parse and whose end is not before its start. On
// success the day numbers are written to *start and *end when non-null.
bool CheckPeriod(absl::string_view field, const peel::common::v1::Period& p,
                 FieldViolations* v, int32_t* start = nullptr,
                 int32_t* end = nullptr);

// A period of exactly `months` calendar months: start + months − 1 day.
bool CheckPeriodOfMonths(absl::string_view field,
                         const peel::common::v1::Period& p, int months,
                         FieldViolations* v);

bool CheckNonNegative(absl::string_view field, int64_t value,
                      FieldViolations* v);

// An enum value that is set (not 0) and known to the enum's descriptor.
bool CheckEnum(absl::string_view field, int value, bool known,
               FieldViolations* v);

}  // namespace peel::validation
