#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Calendar days as signed day numbers since 1970-01-01 (proleptic Gregorian),
// so periods compare and subtract as integers.
namespace peel::dates {

// Parses "YYYY-MM-DD"; InvalidArgument for anything else, including 2021-02-30.
absl::StatusOr<int32_t> ParseIsoDate(absl::string_view text);
std::string FormatIsoDate(int32_t day);

int32_t DaysFromCivil(int year, unsigned month, unsigned day);
void CivilFromDays(int32_t day, int* year, unsigned* month, unsigned* dom);

// The same day of the month `months` later, clamped to the month's end.
int32_t AddMonths(int32_t day, int months);

// Day number of a unix time in seconds (UTC).
inline int32_t DayOfUnixSeconds(int64_t seconds) {
  return static_cast<int32_t>(seconds >= 0 ? seconds / 86400
                                           : -((-seconds + 86399) / 86400));
}

}  // namespace peel::dates
