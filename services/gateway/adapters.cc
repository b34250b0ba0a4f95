#include "common/util/dates.h"
#include "services/gateway/adapter.h"

namespace peel::gateway {

std::unique_ptr<BackendAdapter> MakeCrimeRecordingAdapter();

std::vector<std::unique_ptr<BackendAdapter>> MakeAdapters() {
  std::vector<std::unique_ptr<BackendAdapter>> out;
  out.push_back(MakeCrimeRecordingAdapter());
  return out;
}

peel::common::v1::Period AllTime() {
  peel::common::v1::Period p;
  p.set_start_date("1900-01-01");
  p.set_end_date("2999-12-31");
  return p;
}

bool InPeriod(const std::string& date, const peel::common::v1::Period& period) {
  if (period.start_date().empty() && period.end_date().empty()) return true;
  // ISO dates compare as strings.
  return date >= period.start_date() && date <= period.end_date();
}

}  // namespace peel::gateway
