#include "services/workforce/validate.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/util/dates.h"
#include "common/validation/common_fields.h"

namespace peel::workforce {

using validation::FieldViolations;

bool CheckDate(absl::string_view field, absl::string_view iso,
               FieldViolations* v, int32_t* day) {
  if (iso.empty()) {
    v->Add(field, "missing: give an ISO date, e.g. 2021-03-31");
    return false;
  }
  auto d = dates::ParseIsoDate(iso);
  if (!d.ok()) {
    v->Add(field, d.status().message());
    return false;
  }
  if (iso < kEarliestDate || iso > kLatestDate) {
    v->Add(field, absl::StrCat("outside ", kEarliestDate, " to ", kLatestDate));
    return false;
  }
  *day = *d;
  return true;
}

bool CheckPersonId(absl::string_view field, absl::string_view id,
                   FieldViolations* v) {
  if (id.empty()) {
    v->Add(field, "missing: give a pseudonymous token of 16 to 64 hex digits");
    return false;
  }
  bool hex = true;
  for (char c : id) hex = hex && absl::ascii_isxdigit(c);
  if (!hex || id.size() < 16 || id.size() > 64) {
    v->Add(field,
           "not a pseudonymous token: use 16 to 64 hexadecimal characters "
           "(e.g. a keyed hash of the HR number), never a name or email");
    return false;
  }
  return true;
}

void ValidatePersonRecord(const v1::PersonRecord& r, FieldViolations* v) {
  validation::CheckForce("force", r.force(), v);
  CheckPersonId("person_id", r.person_id(), v);
  const bool type_ok =
      validation::CheckEnum("worker_type", r.worker_type(),
                            v1::WorkerType_IsValid(r.worker_type()), v);
  if (validation::CheckEnum("rank", r.rank(), v1::Rank_IsValid(r.rank()), v) &&
      type_ok) {
    const bool officer = r.worker_type() == v1::POLICE_OFFICER;
    const bool ranked = r.worker_type() == v1::POLICE_OFFICER ||
                        r.worker_type() == v1::SPECIAL_CONSTABLE;
    if (officer && r.rank() == v1::NO_RANK) {
      v->Add("rank", "a police officer needs a rank (CONSTABLE and above)");
    } else if (!ranked && r.rank() != v1::NO_RANK) {
      v->Add("rank", absl::StrCat(v1::WorkerType_Name(r.worker_type()),
                                  " has a grade, not a rank: use NO_RANK"));
    }
  }
  if (r.grade().size() > 64) v->Add("grade", "longer than 64 characters");
  validation::CheckEnum("sex", r.sex(), v1::Sex_IsValid(r.sex()), v);
  validation::CheckEnum("ethnic_group", r.ethnic_group(),
                        v1::EthnicGroup_IsValid(r.ethnic_group()), v);
  if (!(std::isfinite(r.fte()) && r.fte() > 0 && r.fte() <= 1)) {
    v->Add("fte", absl::StrCat("must be in (0, 1], got ", r.fte()));
  }
  int32_t joined = 0, left = 0, effective = 0;
  const bool joined_ok = CheckDate("date_joined", r.date_joined(), v, &joined);
  const bool has_left = !r.date_left().empty();
  const bool left_ok =
      has_left && CheckDate("date_left", r.date_left(), v, &left);
  if (joined_ok && left_ok && left <= joined) {
    v->Add("date_left", absl::StrCat("must be after date_joined (",
                                     r.date_joined(), "): left before joined"));
  }
  if (!v1::LeaverType_IsValid(r.leaver_type())) {
    v->Add("leaver_type", "unknown value");
  } else if (!has_left && r.leaver_type() != v1::LEAVER_TYPE_UNSPECIFIED) {
    v->Add("leaver_type", "given without date_left");
  } else if (has_left && r.leaver_type() == v1::LEAVER_TYPE_UNSPECIFIED) {
    v->Add("leaver_type", "missing: a leaver needs a leaver type");
  }
  if (!r.effective_date().empty() &&
      CheckDate("effective_date", r.effective_date(), v, &effective)) {
    if (joined_ok && effective < joined) {
      v->Add("effective_date", "before date_joined");
    } else if (left_ok && effective > left) {
      v->Add("effective_date", "after date_left");
    }
  }
}

void ValidateWellbeingEvent(const v1::WellbeingEvent& e, FieldViolations* v) {
  validation::CheckForce("force", e.force(), v);
  validation::CheckId("event_id", e.event_id(), v);
  CheckPersonId("person_id", e.person_id(), v);
  int32_t a = 0, b = 0;
  switch (e.kind_case()) {
    case v1::WellbeingEvent::kOccupationalHealth: {
      const auto& oh = e.occupational_health();
      const bool ok_a =
          CheckDate("occupational_health.referred_on", oh.referred_on(), v, &a);
      const bool ok_b = CheckDate("occupational_health.appointment_on",
                                  oh.appointment_on(), v, &b);
      if (ok_a && ok_b && b < a) {
        v->Add("occupational_health.appointment_on", "before referred_on");
      }
      break;
    }
    case v1::WellbeingEvent::kScreening:
      CheckDate("screening.done_on", e.screening().done_on(), v, &a);
      break;
    default:
      v->Add("kind", "missing: give occupational_health or screening");
  }
}

absl::Status ValidateUpliftTarget(const v1::UpliftTarget& t) {
  FieldViolations v("target.");
  validation::CheckForce("force", t.force(), &v);
  int32_t baseline = 0;
  const bool baseline_ok =
      CheckDate("baseline_date", t.baseline_date(), &v, &baseline);
  if (t.baseline_officers() <= 0) {
    v.Add("baseline_officers", "must be positive");
  }
  int32_t previous = baseline;
  int64_t previous_officers = 0;
  for (int i = 0; i < t.allocations_size(); ++i) {
    const auto& a = t.allocations(i);
    const std::string field = absl::StrCat("allocations[", i, "]");
    int32_t day = 0;
    if (CheckDate(field + ".by_date", a.by_date(), &v, &day)) {
      if (baseline_ok && day <= previous) {
        v.Add(field + ".by_date",
              "must be after the baseline and the previous allocation");
      }
      previous = day;
    }
    if (a.additional_officers() <= 0 ||
        a.additional_officers() < previous_officers) {
      v.Add(field + ".additional_officers",
            "must be positive and not below the previous allocation");
    }
    previous_officers = a.additional_officers();
  }
  if (t.allocations().empty()) v.Add("allocations", "missing");
  if (t.has_final_target()) {
    int32_t day = 0;
    CheckDate("final_target.by_date", t.final_target().by_date(), &v, &day);
    if (t.final_target().additional_officers() <= 0) {
      v.Add("final_target.additional_officers", "must be positive");
    }
  }
  return v.ToStatus();
}

absl::Status ValidatePopulationReference(const v1::PopulationReference& p) {
  FieldViolations v("reference.");
  validation::CheckForce("force", p.force(), &v);
  if (!(p.ethnic_minority_share() >= 0 && p.ethnic_minority_share() <= 1)) {
    v.Add("ethnic_minority_share", "must be a proportion in [0, 1]");
  }
  if (p.source().empty()) v.Add("source", "missing: say where it comes from");
  return v.ToStatus();
}

}  // namespace peel::workforce
