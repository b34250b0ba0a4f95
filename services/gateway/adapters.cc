#include "absl/time/clock.h"
#include "common/util/dates.h"
#include "services/gateway/adapter.h"

namespace peel::gateway {

std::unique_ptr<BackendAdapter> MakeCrimeRecordingAdapter();
std::unique_ptr<BackendAdapter> MakeVictimServiceAdapter();
std::unique_ptr<BackendAdapter> MakeWorkforceAdapter();
std::unique_ptr<BackendAdapter> MakeSocDisruptionsAdapter();

std::vector<std::unique_ptr<BackendAdapter>> MakeAdapters() {
  std::vector<std::unique_ptr<BackendAdapter>> out;
  out.push_back(MakeCrimeRecordingAdapter());
  out.push_back(MakeVictimServiceAdapter());
  out.push_back(MakeWorkforceAdapter());
  out.push_back(MakeSocDisruptionsAdapter());
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

namespace {
int32_t Today() {
  return static_cast<int32_t>(absl::ToUnixSeconds(absl::Now()) / 86400);
}
int32_t FirstOfMonth(int32_t day) {
  int y;
  unsigned m, d;
  dates::CivilFromDays(day, &y, &m, &d);
  return dates::DaysFromCivil(y, m, 1);
}
peel::common::v1::Period Days(int32_t first, int32_t last) {
  peel::common::v1::Period out;
  out.set_start_date(dates::FormatIsoDate(first));
  out.set_end_date(dates::FormatIsoDate(last));
  return out;
}
}  // namespace

std::string EndOrToday(const peel::common::v1::Period& period) {
  return period.end_date().empty() ? dates::FormatIsoDate(Today())
                                   : period.end_date();
}

peel::common::v1::Period WholeMonths(const peel::common::v1::Period& p) {
  auto s = dates::ParseIsoDate(p.start_date());
  auto e = dates::ParseIsoDate(p.end_date());
  int32_t start = 0, end = 0;
  if (s.ok() && e.ok()) {
    start = *s;
    end = *e;
  } else {
    end = Today();
    start = dates::AddMonths(FirstOfMonth(end), -119);
  }
  return Days(FirstOfMonth(start), dates::AddMonths(FirstOfMonth(end), 1) - 1);
}

peel::common::v1::Period TwelveMonthsTo(const peel::common::v1::Period& p) {
  auto e = dates::ParseIsoDate(p.end_date());
  const int32_t end = e.ok() ? *e : Today();
  const int32_t next = dates::AddMonths(FirstOfMonth(end), 1);
  return Days(dates::AddMonths(next, -12), next - 1);
}

}  // namespace peel::gateway
