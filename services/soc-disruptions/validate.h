#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/validation/field_violations.h"
#include "peel/common/v1/common.pb.h"
#include "peel/soc/v1/soc_disruptions.pb.h"

// Checks of the fields a record carries by itself. What needs the store
// (does the group exist, and for which force) is checked in store.cc.
// `today` is a day number (common/util/dates.h): dates after it are in the
// future and rejected.
namespace peel::soc {

// INVALID_ARGUMENT naming each bad field under "group.".
absl::Status ValidateGroup(const v1::OrganisedCrimeGroup& group, int32_t today);

// Adds one violation per bad field; on success writes the disruption's day.
void ValidateDisruption(const v1::Disruption& d, int32_t today,
                        validation::FieldViolations* v, int32_t* day);

// A summary period: 12 calendar months starting on the 1st of a month. On
// success writes the first month (year * 12 + month − 1).
bool CheckTwelveMonths(absl::string_view field,
                       const peel::common::v1::Period& period,
                       validation::FieldViolations* v, int32_t* first_month);

// year * 12 + month − 1 of a day number.
int32_t MonthOfDay(int32_t day);
// The first day of a month index, and the last.
int32_t FirstDayOfMonth(int32_t month);
int32_t LastDayOfMonth(int32_t month);

}  // namespace peel::soc
