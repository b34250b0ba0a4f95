#include "services/crime-recording/national_view.h"

#include <map>

#include "common/util/dates.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/crime-recording/estimate.h"

namespace peel::crimerecording {

absl::StatusOr<v1::NationalRecordingRates> ComputeNationalRates(
    const CrimeRecordingStore& store,
    const v1::GetNationalRecordingRatesRequest& req) {
  int32_t start = 0, end = 0;
  {
    validation::FieldViolations v;
    validation::CheckPeriod("period", req.period(), &v, &start, &end);
    RETURN_IF_ERROR(v.ToStatus());
  }
  ASSIGN_OR_RETURN(std::vector<v1::Audit> audits, store.ListAudits(""));
  std::map<std::string, const v1::Audit*> latest;  // by force, sorted
  std::map<std::string, int32_t> latest_end;
  for (const auto& a : audits) {
    auto audit_end = dates::ParseIsoDate(a.period().end_date());
    if (!audit_end.ok() || *audit_end < start || *audit_end > end) continue;
    auto it = latest_end.find(a.force());
    if (it == latest_end.end() || *audit_end > it->second ||
        (*audit_end == it->second &&
         a.audit_id() > latest[a.force()]->audit_id())) {
      latest_end[a.force()] = *audit_end;
      latest[a.force()] = &a;
    }
  }
  v1::NationalRecordingRates out;
  *out.mutable_period() = req.period();
  for (const auto& [force, audit] : latest) {
    ASSIGN_OR_RETURN(auto tally, store.GetTally(audit->audit_id()));
    v1::RecordingEstimate estimate = ComputeRecordingEstimate(*audit, tally);
    auto* f = out.add_forces();
    f->set_force(force);
    f->set_audit_id(audit->audit_id());
    *f->mutable_rate() = estimate.headline();
  }
  return out;
}

}  // namespace peel::crimerecording
