#include "common/util/dates.h"

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace peel::dates {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

// Howard Hinnant's days_from_civil algorithm.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* year, unsigned* month, unsigned* dom) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = m;
  *dom = d;
}

absl::StatusOr<int32_t> ParseIsoDate(absl::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a date of the form YYYY-MM-DD"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return bad();
  }
  const int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
                (text[2] - '0') * 10 + (text[3] - '0');
  const unsigned m = (text[5] - '0') * 10 + (text[6] - '0');
  const unsigned d = (text[8] - '0') * 10 + (text[9] - '0');
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return bad();
  }
  return DaysFromCivil(y, m, d);
}

std::string FormatIsoDate(int32_t day) {
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  return absl::StrFormat("%04d-%02u-%02u", y, m, d);
}

int32_t AddMonths(int32_t day, int months) {
  int y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  int total = y * 12 + static_cast<int>(m) - 1 + months;
  int ny = total / 12;
  unsigned nm = static_cast<unsigned>(total % 12) + 1;
  unsigned nd = d > DaysInMonth(ny, nm) ? DaysInMonth(ny, nm) : d;
  return DaysFromCivil(ny, nm, nd);
}

}  // namespace peel::dates
