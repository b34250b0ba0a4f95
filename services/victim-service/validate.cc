#include "services/victim-service/validate.h"

#include <bitset>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/util/dates.h"
#include "common/validation/common_fields.h"

namespace peel::victimservice {

using validation::FieldViolations;

namespace {

// 1 January 2000: earlier call times are taken as a unit error.
constexpr int64_t kEarliestCallSeconds = 946684800;
// 1 January 10000: a call is counted in its calendar month, and months are
// "YYYY-MM" (ParseMonth); later times would land in a month with no name
// (a gap the fuzz target's checks exposed; the input is in
// integration-tests/fuzz/corpus/victim_service_records).
constexpr int64_t kEndCallSeconds = 253402300800;
// A day: longer answer or wait times are taken as a unit error.
constexpr int64_t kMaxCallMs = int64_t{86400} * 1000;

}  // namespace

absl::Status ValidateAssessment(const v1::Assessment& a) {
  FieldViolations v("assessment.");
  validation::CheckId("assessment_id", a.assessment_id(), &v);
  validation::CheckForce("force", a.force(), &v);
  validation::CheckPeriod("period", a.period(), &v);
  if (a.sample_description().empty()) {
    v.Add("sample_description",
          "missing: describe the sample, e.g. '165 case files and 20 "
          "cautions, community resolutions and victim-withdrawal files'");
  }
  return v.ToStatus();
}

void ValidateCaseReview(const v1::CaseReview& r, FieldViolations* v) {
  validation::CheckId("case_id", r.case_id(), v);
  validation::CheckEnum("file_type", r.file_type(),
                        v1::FileType_IsValid(r.file_type()), v);
  validation::CheckEnum("offence_group", r.offence_group(),
                        v1::OffenceGroup_IsValid(r.offence_group()), v);
  validation::CheckEnum("channel", r.channel(),
                        v1::ContactChannel_IsValid(r.channel()), v);
  std::bitset<64> seen;
  for (int i = 0; i < r.checks_size(); ++i) {
    const auto& c = r.checks(i);
    const std::string field = absl::StrCat("checks[", i, "]");
    if (validation::CheckEnum(field + ".check", c.check(),
                              v1::Check_IsValid(c.check()), v)) {
      if (seen.test(c.check())) {
        v->Add(field + ".check",
               absl::StrCat(v1::Check_Name(c.check()),
                            " given twice in one case review"));
      }
      seen.set(c.check());
    }
    validation::CheckEnum(field + ".outcome", c.outcome(),
                          v1::CheckOutcome_IsValid(c.outcome()), v);
  }
}

void ValidateCallRecord(const v1::CallRecord& c, FieldViolations* v) {
  validation::CheckId("call_id", c.call_id(), v);
  validation::CheckForce("force", c.force(), v);
  if (c.channel() != v1::EMERGENCY_999 &&
      c.channel() != v1::NON_EMERGENCY_101) {
    v->Add("channel", c.channel() == 0 ? "missing: EMERGENCY_999 or "
                                         "NON_EMERGENCY_101"
                                       : "a call record is EMERGENCY_999 or "
                                         "NON_EMERGENCY_101");
  }
  if (!c.has_offered_at()) {
    v->Add("offered_at", "missing");
  } else if (c.offered_at().seconds() < kEarliestCallSeconds ||
             c.offered_at().nanos() < 0 || c.offered_at().nanos() > 999999999) {
    v->Add("offered_at", "before 2000-01-01 or malformed");
  } else if (c.offered_at().seconds() >= kEndCallSeconds) {
    v->Add("offered_at", "after 9999-12-31");
  }
  if (c.has_answered() && c.has_abandoned()) {
    v->Add("abandoned", "answered and abandoned both set: give exactly one");
  } else if (!c.has_answered() && !c.has_abandoned()) {
    v->Add("answered", "missing: give answered or abandoned");
  }
  if (c.has_answered()) {
    if (c.answered().answer_ms() < 0) {
      v->Add("answered.answer_ms", "must not be negative");
    } else if (c.answered().answer_ms() > kMaxCallMs) {
      v->Add("answered.answer_ms", "more than a day");
    }
  }
  if (c.has_abandoned()) {
    if (c.abandoned().waited_ms() < 0) {
      v->Add("abandoned.waited_ms", "must not be negative");
    } else if (c.abandoned().waited_ms() > kMaxCallMs) {
      v->Add("abandoned.waited_ms", "more than a day");
    }
  }
}

void ValidateMonthlyAggregate(const v1::MonthlyCallAggregate& m,
                              FieldViolations* v, int32_t* month_index) {
  validation::CheckForce("force", m.force(), v);
  if (!ParseMonth(m.month(), month_index)) {
    v->Add("month", absl::StrCat("'", m.month(), "' is not YYYY-MM"));
  }
  bool counts_ok = true;
  counts_ok &= validation::CheckNonNegative("calls", m.calls(), v);
  counts_ok &= validation::CheckNonNegative("under_10s", m.under_10s(), v);
  counts_ok &=
      validation::CheckNonNegative("from_10_to_60s", m.from_10_to_60s(), v);
  counts_ok &= validation::CheckNonNegative("over_60s", m.over_60s(), v);
  // The bands must add up to the calls. Compared by subtraction, which
  // cannot overflow for non-negative counts: bands near the int64 limit
  // used to wrap their sum round to the total (a gap the fuzz target's
  // checks exposed).
  if (counts_ok &&
      (m.under_10s() > m.calls() ||
       m.from_10_to_60s() > m.calls() - m.under_10s() ||
       m.over_60s() != m.calls() - m.under_10s() - m.from_10_to_60s())) {
    v->Add("calls",
           absl::StrCat("bands (", m.under_10s(), " + ", m.from_10_to_60s(),
                        " + ", m.over_60s(), ") do not add up to ", m.calls()));
  }
  if (!(m.mean_answer_seconds() >= 0) || m.mean_answer_seconds() > 86400) {
    v->Add("mean_answer_seconds", "must be between 0 and 86400");
  } else if (counts_ok && m.calls() > 0 && m.under_10s() == m.calls() &&
             m.mean_answer_seconds() >= 10) {
    v->Add("mean_answer_seconds",
           "every call was answered in under 10 s but the mean is not");
  }
  if (m.source().empty()) v->Add("source", "missing: say where it comes from");
}

bool ParseMonth(absl::string_view text, int32_t* month_index) {
  if (text.size() != 7 || text[4] != '-') return false;
  // Digits only: SimpleAtoi alone would also take "2021-+1" or "2021- 1"
  // as January, stored under another text than the month it counts in.
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  int year = 0, month = 0;
  if (!absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month)) {
    return false;
  }
  if (year < 1970 || year > 9999 || month < 1 || month > 12) return false;
  *month_index = (year - 1970) * 12 + month - 1;
  return true;
}

std::string FormatMonth(int32_t m) {
  return absl::StrFormat("%04d-%02d", 1970 + m / 12, m % 12 + 1);
}

int32_t MonthOfUnixSeconds(int64_t seconds) {
  int year;
  unsigned month, day;
  dates::CivilFromDays(dates::DayOfUnixSeconds(seconds), &year, &month, &day);
  return (year - 1970) * 12 + static_cast<int32_t>(month) - 1;
}

bool CheckWholeMonths(absl::string_view field,
                      const peel::common::v1::Period& period, int max_months,
                      FieldViolations* v, int32_t* first, int32_t* last) {
  int32_t start = 0, end = 0;
  if (!validation::CheckPeriod(field, period, v, &start, &end)) return false;
  int y;
  unsigned m, d;
  dates::CivilFromDays(start, &y, &m, &d);
  if (d != 1 || y < 1970) {
    v->Add(absl::StrCat(field, ".start_date"),
           "must be the first day of a month (1970 or later)");
    return false;
  }
  *first = (y - 1970) * 12 + static_cast<int32_t>(m) - 1;
  dates::CivilFromDays(end + 1, &y, &m, &d);
  if (d != 1) {
    v->Add(absl::StrCat(field, ".end_date"), "must be the last day of a month");
    return false;
  }
  *last = (y - 1970) * 12 + static_cast<int32_t>(m) - 2;
  if (*last - *first + 1 > max_months) {
    v->Add(absl::StrCat(field, ".end_date"),
           absl::StrCat("more than ", max_months, " months"));
    return false;
  }
  return true;
}

}  // namespace peel::victimservice
