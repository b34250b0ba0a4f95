#include "services/gateway/validate.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/util/dates.h"
#include "common/validation/common_fields.h"
#include "services/gateway/catalogue.h"

namespace peel::gateway {
namespace {

using validation::FieldViolations;

void CheckDate(absl::string_view field, const std::string& date,
               FieldViolations* v) {
  if (!dates::ParseIsoDate(date).ok()) {
    v->Add(field, absl::StrCat("'", date, "' is not an ISO date (YYYY-MM-DD)"));
  }
}

void CheckArea(absl::string_view field, v1::Area area, FieldViolations* v) {
  validation::CheckEnum(field, area, FindArea(area) != nullptr, v);
}

}  // namespace

absl::Status ValidateJudgment(const v1::Judgment& j) {
  FieldViolations v("judgment.");
  validation::CheckId("judgment_id", j.judgment_id(), &v);
  validation::CheckForce("force", j.force(), &v);
  CheckArea("area", j.area(), &v);
  if (validation::CheckEnum("grade", j.grade(),
                            peel::common::v1::Grade_IsValid(j.grade()), &v)) {
    const AreaInfo* info = FindArea(j.area());
    if (info != nullptr && !info->graded &&
        j.grade() != peel::common::v1::UNGRADED) {
      v.Add("grade", "this area is ungraded: the grade must be UNGRADED");
    } else if (info != nullptr && info->graded &&
               j.grade() == peel::common::v1::UNGRADED) {
      v.Add("grade", "a graded area cannot be UNGRADED");
    }
  }
  CheckDate("judged_on", j.judged_on(), &v);
  validation::CheckPeriod("period", j.period(), &v);
  return v.ToStatus();
}

absl::Status ValidateFinding(const v1::Finding& f) {
  FieldViolations v("finding.");
  validation::CheckId("finding_id", f.finding_id(), &v);
  validation::CheckForce("force", f.force(), &v);
  CheckArea("area", f.area(), &v);
  validation::CheckEnum("kind", f.kind(), v1::FindingKind_IsValid(f.kind()),
                        &v);
  if (f.summary().empty()) v.Add("summary", "must not be empty");
  CheckDate("recorded_on", f.recorded_on(), &v);
  validation::CheckPeriod("period", f.period(), &v);
  std::set<std::string> ids;
  for (int i = 0; i < f.recommendations_size(); ++i) {
    const auto& r = f.recommendations(i);
    const std::string field = absl::StrCat("recommendations[", i, "]");
    if (validation::CheckId(absl::StrCat(field, ".recommendation_id"),
                            r.recommendation_id(), &v) &&
        !ids.insert(r.recommendation_id()).second) {
      v.Add(absl::StrCat(field, ".recommendation_id"),
            "repeated within the finding");
    }
    if (r.text().empty())
      v.Add(absl::StrCat(field, ".text"), "must not be empty");
    if (!r.due_date().empty()) {
      CheckDate(absl::StrCat(field, ".due_date"), r.due_date(), &v);
    }
    if (r.history_size() > 0) {
      v.Add(absl::StrCat(field, ".history"),
            "is filled on read; record statuses with "
            "RecordRecommendationStatus");
    }
  }
  if (f.kind() != v1::CAUSE_OF_CONCERN && f.recommendations_size() > 0) {
    v.Add("recommendations", "only a cause of concern has recommendations");
  }
  for (int i = 0; i < f.evidence_metrics_size(); ++i) {
    if (FindMetric(f.evidence_metrics(i)) == nullptr) {
      v.Add(absl::StrCat("evidence_metrics[", i, "]"),
            absl::StrCat("unknown metric '", f.evidence_metrics(i), "'"));
    }
  }
  return v.ToStatus();
}

absl::Status ValidateRecommendationStatus(const v1::RecommendationStatus& s) {
  FieldViolations v("status.");
  validation::CheckId("status_id", s.status_id(), &v);
  validation::CheckId("finding_id", s.finding_id(), &v);
  validation::CheckId("recommendation_id", s.recommendation_id(), &v);
  validation::CheckEnum("state", s.state(),
                        v1::RecommendationState_IsValid(s.state()), &v);
  CheckDate("as_of", s.as_of(), &v);
  return v.ToStatus();
}

absl::Status ValidateMonitoringStatus(const v1::MonitoringStatus& s) {
  FieldViolations v("status.");
  validation::CheckId("status_id", s.status_id(), &v);
  validation::CheckForce("force", s.force(), &v);
  validation::CheckEnum("level", s.level(),
                        v1::MonitoringLevel_IsValid(s.level()), &v);
  CheckDate("since", s.since(), &v);
  return v.ToStatus();
}

}  // namespace peel::gateway
