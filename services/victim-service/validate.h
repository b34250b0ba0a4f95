#pragma once

#include "absl/status/status.h"
#include "common/validation/field_violations.h"
#include "peel/victimservice/v1/victim_service.pb.h"

// Request and record validation for the victim-service. Each check names the
// bad field; nothing is stored for a record that fails.
namespace peel::victimservice {

absl::Status ValidateAssessment(const v1::Assessment& assessment);

void ValidateCaseReview(const v1::CaseReview& review,
                        validation::FieldViolations* v);

void ValidateCallRecord(const v1::CallRecord& call,
                        validation::FieldViolations* v);

// On success *month_index is the month's index (see MonthIndex).
void ValidateMonthlyAggregate(const v1::MonthlyCallAggregate& m,
                              validation::FieldViolations* v,
                              int32_t* month_index);

// "YYYY-MM" → months since 1970-01 (year * 12 + month − 1 − 1970 * 12).
bool ParseMonth(absl::string_view text, int32_t* month_index);
std::string FormatMonth(int32_t month_index);
int32_t MonthOfUnixSeconds(int64_t seconds);  // UTC calendar month

// A period of whole calendar months: start on a 1st, end on a month's last
// day, at most `max_months` months. Writes the first and last month indexes.
bool CheckWholeMonths(absl::string_view field,
                      const peel::common::v1::Period& period, int max_months,
                      validation::FieldViolations* v, int32_t* first,
                      int32_t* last);

}  // namespace peel::victimservice
