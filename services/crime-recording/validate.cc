#include "services/crime-recording/validate.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/validation/common_fields.h"

namespace peel::crimerecording {

using validation::FieldViolations;

namespace {

bool KnownStratum(int s) { return v1::CrimeStratum_IsValid(s); }

bool AuditHasStratum(const v1::Audit& audit, int stratum) {
  for (const auto& s : audit.strata()) {
    if (s.stratum() == stratum) return true;
  }
  return false;
}

}  // namespace

absl::Status ValidateAudit(const v1::Audit& audit) {
  FieldViolations v("audit.");
  validation::CheckId("audit_id", audit.audit_id(), &v);
  validation::CheckForce("force", audit.force(), &v);
  validation::CheckPeriodOfMonths("period", audit.period(), 6, &v);
  if (audit.recorded_crime_base() <= 0) {
    v.Add("recorded_crime_base",
          audit.recorded_crime_base() < 0
              ? "must not be negative"
              : "missing: give R, the force's recorded crime excluding fraud "
                "for the 12 months to the audit's end");
  }
  if (audit.recorded_crime_base_source().empty()) {
    v.Add("recorded_crime_base_source", "missing: say where R comes from");
  }
  if (audit.strata().empty()) {
    v.Add("strata", "missing: give each stratum and its weight");
  }
  double sum = 0;
  std::set<int> seen;
  for (int i = 0; i < audit.strata_size(); ++i) {
    const auto& s = audit.strata(i);
    const std::string field = absl::StrCat("strata[", i, "]");
    validation::CheckEnum(field + ".stratum", s.stratum(),
                          KnownStratum(s.stratum()), &v);
    if (!seen.insert(s.stratum()).second) {
      v.Add(field + ".stratum", "listed twice");
    }
    if (!(s.weight() > 0 && s.weight() <= 1)) {
      v.Add(field + ".weight", "must be in (0, 1]");
    }
    sum += s.weight();
  }
  if (!audit.strata().empty() && std::fabs(sum - 1) > 1e-6) {
    v.Add("strata", absl::StrCat("weights sum to ", sum, ", not 1 (±1e-6)"));
  }
  std::set<int> earlier_seen;
  for (int i = 0; i < audit.earlier_size(); ++i) {
    const auto& e = audit.earlier(i);
    const std::string field = absl::StrCat("earlier[", i, "]");
    if (e.stratum() != 0 && !AuditHasStratum(audit, e.stratum())) {
      v.Add(field + ".stratum", "not one of the audit's strata");
    }
    if (!earlier_seen.insert(e.stratum()).second) {
      v.Add(field + ".stratum", "listed twice");
    }
    if (!(e.rate() > 0 && e.rate() <= 1)) {
      v.Add(field + ".rate", "must be a proportion in (0, 1]");
    }
    if (!(e.half_width() >= 0 && e.half_width() < 1)) {
      v.Add(field + ".half_width", "must be a proportion in [0, 1)");
    }
  }
  if (!v1::OverallMethod_IsValid(audit.overall_method())) {
    v.Add("overall_method", "unknown value");
  }
  return v.ToStatus();
}

void ValidateAuditedIncident(const v1::AuditedIncident& incident,
                             const v1::Audit& audit, FieldViolations* v) {
  validation::CheckId("incident_id", incident.incident_id(), v);
  if (validation::CheckEnum("stratum", incident.stratum(),
                            KnownStratum(incident.stratum()), v) &&
      !AuditHasStratum(audit, incident.stratum())) {
    v->Add("stratum",
           absl::StrCat("audit ", audit.audit_id(), " has no stratum ",
                        v1::CrimeStratum_Name(incident.stratum())));
  }
  for (int i = 0; i < incident.crimes_size(); ++i) {
    const auto& c = incident.crimes(i);
    // A crime counted as correctly classified or as recorded within 24 h
    // must have been recorded: otherwise the recorded counts would exceed
    // the crimes that should have been recorded.
    if (!c.recorded() && c.correctly_classified()) {
      v->Add(absl::StrCat("crimes[", i, "].correctly_classified"),
             "true for a crime that was not recorded");
    }
    if (!c.recorded() && c.recorded_within_24h()) {
      v->Add(absl::StrCat("crimes[", i, "].recorded_within_24h"),
             "true for a crime that was not recorded");
    }
  }
  if (incident.crimes_size() > 1000) {
    v->Add("crimes", "more than 1000 crimes in one incident");
  }
}

void ValidateCancellationReview(const v1::CancellationReview& review,
                                FieldViolations* v) {
  validation::CheckId("review_id", review.review_id(), v);
  validation::CheckEnum("reason", review.reason(),
                        v1::CancellationReason_IsValid(review.reason()), v);
}

void ValidateIncidentLogEntry(const v1::IncidentLogEntry& entry,
                              FieldViolations* v) {
  validation::CheckId("incident_id", entry.incident_id(), v);
  if (!entry.has_opened_at()) {
    v->Add("opened_at", "missing");
  } else if (entry.opened_at().seconds() < 0 || entry.opened_at().nanos() < 0) {
    v->Add("opened_at", "before 1970");
  }
  if (entry.closing_category().empty()) {
    v->Add("closing_category", "missing");
  }
  validation::CheckEnum("stratum", entry.stratum(),
                        KnownStratum(entry.stratum()), v);
}

absl::Status ValidateDrawAuditSample(const v1::DrawAuditSampleRequest& r) {
  FieldViolations v;
  validation::CheckForce("force", r.force(), &v);
  validation::CheckPeriod("period", r.period(), &v);
  if (r.sizes().empty()) v.Add("sizes", "missing: give a size per stratum");
  std::set<int> seen;
  for (int i = 0; i < r.sizes_size(); ++i) {
    const std::string field = absl::StrCat("sizes[", i, "]");
    validation::CheckEnum(field + ".stratum", r.sizes(i).stratum(),
                          KnownStratum(r.sizes(i).stratum()), &v);
    if (!seen.insert(r.sizes(i).stratum()).second) {
      v.Add(field + ".stratum", "listed twice");
    }
    if (r.sizes(i).size() <= 0 || r.sizes(i).size() > 100000) {
      v.Add(field + ".size", "must be between 1 and 100000");
    }
  }
  return v.ToStatus();
}

}  // namespace peel::crimerecording
