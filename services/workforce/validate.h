#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/validation/field_violations.h"
#include "peel/workforce/v1/workforce.pb.h"

// Record and request validation for the workforce service. Each check names
// the bad field; nothing of a record that fails is stored.
namespace peel::workforce {

// Dates the service accepts (so day numbers stay in the counters' range).
inline constexpr absl::string_view kEarliestDate = "1900-01-01";
inline constexpr absl::string_view kLatestDate = "2100-12-31";

// A pseudonymous person id: 16 to 64 hexadecimal characters. Anything else
// (a name, an email address, a payroll number) is refused, so the service
// never holds identifying data.
bool CheckPersonId(absl::string_view field, absl::string_view id,
                   validation::FieldViolations* v);

void ValidatePersonRecord(const v1::PersonRecord& r,
                          validation::FieldViolations* v);
void ValidateWellbeingEvent(const v1::WellbeingEvent& e,
                            validation::FieldViolations* v);
absl::Status ValidateUpliftTarget(const v1::UpliftTarget& t);
absl::Status ValidatePopulationReference(const v1::PopulationReference& p);

// Parses an ISO date inside [kEarliestDate, kLatestDate]; adds a violation
// and returns false otherwise. An empty date is "missing".
bool CheckDate(absl::string_view field, absl::string_view iso,
               validation::FieldViolations* v, int32_t* day);

}  // namespace peel::workforce
