#include "services/soc-disruptions/validate.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/util/dates.h"
#include "common/validation/common_fields.h"

namespace peel::soc {

using validation::FieldViolations;

namespace {

// Parses an ISO date that must not be after `today`.
bool CheckPastDate(absl::string_view field, absl::string_view text,
                   int32_t today, FieldViolations* v, int32_t* day) {
  if (text.empty()) {
    v->Add(field, "missing: give an ISO date, e.g. 2022-06-30");
    return false;
  }
  auto parsed = dates::ParseIsoDate(text);
  if (!parsed.ok()) {
    v->Add(field, parsed.status().message());
    return false;
  }
  if (*parsed > today) {
    v->Add(field, absl::StrCat(text, " is in the future (today is ",
                               dates::FormatIsoDate(today), ")"));
    return false;
  }
  *day = *parsed;
  return true;
}

}  // namespace

int32_t MonthOfDay(int32_t day) {
  int year;
  unsigned month, dom;
  dates::CivilFromDays(day, &year, &month, &dom);
  return year * 12 + static_cast<int32_t>(month) - 1;
}

int32_t FirstDayOfMonth(int32_t month) {
  const int year = month >= 0 ? month / 12 : -((-month + 11) / 12);
  const unsigned m = static_cast<unsigned>(month - year * 12) + 1;
  return dates::DaysFromCivil(year, m, 1);
}

int32_t LastDayOfMonth(int32_t month) { return FirstDayOfMonth(month + 1) - 1; }

absl::Status ValidateGroup(const v1::OrganisedCrimeGroup& g, int32_t today) {
  FieldViolations v("group.");
  validation::CheckId("group_id", g.group_id(), &v);
  validation::CheckForce("force", g.force(), &v);
  if (g.threat_areas().empty()) {
    v.Add("threat_areas", "missing: give at least one threat area");
  }
  std::set<int> seen;
  for (int i = 0; i < g.threat_areas_size(); ++i) {
    const std::string field = absl::StrCat("threat_areas[", i, "]");
    const int area = g.threat_areas(i);
    if (validation::CheckEnum(field, area, v1::ThreatArea_IsValid(area), &v) &&
        !seen.insert(area).second) {
      v.Add(field, "listed twice");
    }
  }
  validation::CheckNonNegative("threat_score", g.threat_score(), &v);
  validation::CheckEnum("threat_band", g.threat_band(),
                        v1::ThreatBand_IsValid(g.threat_band()), &v);
  if (g.lead_responsible_officer_role().empty()) {
    v.Add("lead_responsible_officer_role",
          "missing: give the lead responsible officer's role (not a name)");
  } else if (g.lead_responsible_officer_role().size() > 100) {
    v.Add("lead_responsible_officer_role", "longer than 100 characters");
  }
  const bool status_ok = validation::CheckEnum(
      "status", g.status(), v1::GroupStatus_IsValid(g.status()), &v);
  int32_t from = 0;
  const bool from_ok =
      CheckPastDate("active_from", g.active_from(), today, &v, &from);
  if (status_ok && g.status() == v1::ARCHIVED) {
    int32_t archived = 0;
    if (CheckPastDate("archived_on", g.archived_on(), today, &v, &archived) &&
        from_ok && archived < from) {
      v.Add("archived_on", "is before active_from");
    }
  } else if (status_ok && !g.archived_on().empty()) {
    v.Add("archived_on", "set for a group that is not ARCHIVED");
  }
  return v.ToStatus();
}

void ValidateDisruption(const v1::Disruption& d, int32_t today,
                        FieldViolations* v, int32_t* day) {
  validation::CheckId("disruption_id", d.disruption_id(), v);
  validation::CheckForce("force", d.force(), v);
  if (!d.group_id().empty()) validation::CheckId("group_id", d.group_id(), v);
  CheckPastDate("date", d.date(), today, v, day);
  validation::CheckEnum("pillar", d.pillar(), v1::Pillar_IsValid(d.pillar()),
                        v);
  validation::CheckEnum("magnitude", d.magnitude(),
                        v1::Magnitude_IsValid(d.magnitude()), v);
  validation::CheckEnum("tactic", d.tactic(), v1::Tactic_IsValid(d.tactic()),
                        v);
  validation::CheckNonNegative("arrests", d.arrests(), v);
  validation::CheckNonNegative("charges", d.charges(), v);
  validation::CheckNonNegative("people_safeguarded", d.people_safeguarded(), v);
  validation::CheckNonNegative("deal_lines_closed", d.deal_lines_closed(), v);
  validation::CheckNonNegative("seizures.cash_pence", d.seizures().cash_pence(),
                               v);
  validation::CheckNonNegative("seizures.drugs_grams",
                               d.seizures().drugs_grams(), v);
  validation::CheckNonNegative("seizures.firearms", d.seizures().firearms(), v);
  validation::CheckNonNegative("seizures.vehicles", d.seizures().vehicles(), v);
  if (!d.operation().empty())
    validation::CheckId("operation", d.operation(), v);
}

bool CheckTwelveMonths(absl::string_view field,
                       const peel::common::v1::Period& period,
                       FieldViolations* v, int32_t* first_month) {
  if (!validation::CheckPeriodOfMonths(field, period, 12, v)) return false;
  const int32_t start = *dates::ParseIsoDate(period.start_date());
  int year;
  unsigned month, dom;
  dates::CivilFromDays(start, &year, &month, &dom);
  if (dom != 1) {
    v->Add(absl::StrCat(field, ".start_date"),
           "must be the 1st of a month: disruptions are counted by calendar "
           "month");
    return false;
  }
  *first_month = MonthOfDay(start);
  return true;
}

}  // namespace peel::soc
