#include "common/validation/common_fields.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/reference/forces.h"
#include "common/util/dates.h"

namespace peel::validation {

bool CheckForce(absl::string_view field, absl::string_view slug,
                FieldViolations* v) {
  if (slug.empty()) {
    v->Add(field,
           "missing: give the force's police.uk slug, e.g. metropolitan");
    return false;
  }
  if (reference::FindForce(slug) == nullptr) {
    v->Add(field, absl::StrCat("unknown force '", slug,
                               "': expected a police.uk slug such as "
                               "metropolitan or avon-and-somerset"));
    return false;
  }
  return true;
}

bool CheckId(absl::string_view field, absl::string_view id,
             FieldViolations* v) {
  if (id.empty()) {
    v->Add(field, "missing");
    return false;
  }
  if (id.size() > 128) {
    v->Add(field, "longer than 128 characters");
    return false;
  }
  for (char c : id) {
    if (c <= ' ' || c > '~') {
      v->Add(field, "must be printable ASCII without spaces");
      return false;
    }
  }
  return true;
}

bool CheckPeriod(absl::string_view field, const peel::common::v1::Period& p,
                 FieldViolations* v, int32_t* start, int32_t* end) {
  auto s = dates::ParseIsoDate(p.start_date());
  auto e = dates::ParseIsoDate(p.end_date());
  bool ok = true;
  if (!s.ok()) {
    v->Add(absl::StrCat(field, ".start_date"), s.status().message());
    ok = false;
  }
  if (!e.ok()) {
    v->Add(absl::StrCat(field, ".end_date"), e.status().message());
    ok = false;
  }
  if (ok && *e < *s) {
    v->Add(absl::StrCat(field, ".end_date"), "is before start_date");
    ok = false;
  }
  if (ok) {
    if (start) *start = *s;
    if (end) *end = *e;
  }
  return ok;
}

bool CheckPeriodOfMonths(absl::string_view field,
                         const peel::common::v1::Period& p, int months,
                         FieldViolations* v) {
  int32_t start, end;
  if (!CheckPeriod(field, p, v, &start, &end)) return false;
  const int32_t expected_end = dates::AddMonths(start, months) - 1;
  if (end != expected_end) {
    v->Add(absl::StrCat(field, ".end_date"),
           absl::StrCat("the period must be ", months,
                        " calendar months: from ", p.start_date(),
                        " it ends on ", dates::FormatIsoDate(expected_end)));
    return false;
  }
  return true;
}

bool CheckNonNegative(absl::string_view field, int64_t value,
                      FieldViolations* v) {
  if (value < 0) {
    v->Add(field, "must not be negative");
    return false;
  }
  return true;
}

bool CheckEnum(absl::string_view field, int value, bool known,
               FieldViolations* v) {
  if (value == 0) {
    v->Add(field, "unspecified: choose a value");
    return false;
  }
  if (!known) {
    v->Add(field, absl::StrCat("unknown value ", value));
    return false;
  }
  return true;
}

}  // namespace peel::validation
