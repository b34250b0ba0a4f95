#include "services/gateway/assessment_cache.h"

#include "absl/strings/str_cat.h"

namespace peel::gateway {

std::string AssessmentKey(const std::string& force,
                          const peel::common::v1::Period& period,
                          const std::string& today) {
  const bool unset = period.start_date().empty() && period.end_date().empty();
  return absl::StrCat(force, "|", period.start_date(), "|", period.end_date(),
                      "|", unset ? today : "");
}

}  // namespace peel::gateway
