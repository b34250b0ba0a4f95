// Fuzz target: arbitrary bytes parsed as each soc-disruptions write message
// (RegisterGroup, UpdateGroup and the disruption batch) and run through the
// service's validation of the fields a record carries by itself, with a
// fixed "today" so runs repeat. Whether a disruption's group is registered,
// and to the same force, and whether an update keeps the group's force, are
// store lookups (store.cc), not fuzzed here. Validation must never crash; a
// record it accepts must re-validate the same after a serialisation round
// trip, and its dates must be real, not in the future, and in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/util/dates.h"
#include "common/validation/field_violations.h"
#include "google/protobuf/stubs/logging.h"
#include "peel/soc/v1/soc_disruptions.pb.h"
#include "services/soc-disruptions/validate.h"

namespace v1 = ::peel::soc::v1;
namespace soc = ::peel::soc;
namespace dates = ::peel::dates;
using ::peel::validation::FieldViolations;

namespace {

const int32_t kToday = dates::DaysFromCivil(2022, 9, 1);

// The day of an accepted date: it must parse, name itself back and not be
// after today.
int32_t AcceptedDay(const std::string& iso) {
  auto day = dates::ParseIsoDate(iso);
  if (!day.ok() || *day > kToday || dates::FormatIsoDate(*day) != iso) {
    std::abort();
  }
  return *day;
}

void FuzzGroup(const v1::OrganisedCrimeGroup& g) {
  if (!soc::ValidateGroup(g, kToday).ok()) return;
  v1::OrganisedCrimeGroup again;
  if (!again.ParseFromString(g.SerializeAsString()) ||
      !soc::ValidateGroup(again, kToday).ok()) {
    std::abort();
  }
  if (g.threat_areas().empty() || g.threat_score() < 0) std::abort();
  const int32_t from = AcceptedDay(g.active_from());
  if (g.status() == v1::ARCHIVED) {
    if (AcceptedDay(g.archived_on()) < from) std::abort();
  } else if (!g.archived_on().empty()) {
    std::abort();
  }
}

void FuzzDisruption(const v1::Disruption& d) {
  FieldViolations v;
  int32_t day = 0;
  soc::ValidateDisruption(d, kToday, &v, &day);
  if (!v.empty()) return;
  v1::Disruption again;
  if (!again.ParseFromString(d.SerializeAsString())) std::abort();
  FieldViolations w;
  int32_t day_again = 0;
  soc::ValidateDisruption(again, kToday, &w, &day_again);
  if (!w.empty() || day_again != day) std::abort();
  // The store counts it in the month of the day validation reported.
  if (AcceptedDay(d.date()) != day) std::abort();
  const int32_t month = soc::MonthOfDay(day);
  if (day < soc::FirstDayOfMonth(month) || day > soc::LastDayOfMonth(month)) {
    std::abort();
  }
}

}  // namespace

// Arbitrary bytes often hold invalid UTF-8 in string fields; protobuf logs
// each such parse, which would slow the fuzzer to a crawl. Discard its log.
[[maybe_unused]] const bool kQuietProtobuf = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int n = static_cast<int>(size);
  v1::RegisterGroupRequest reg;
  if (reg.ParseFromArray(data, n)) FuzzGroup(reg.group());
  // UpdateGroupRequest has the same fields; parsed separately so the
  // target keeps covering it if the two ever differ.
  v1::UpdateGroupRequest update;
  if (update.ParseFromArray(data, n)) FuzzGroup(update.group());
  v1::DisruptionBatch batch;
  if (batch.ParseFromArray(data, n)) {
    for (const auto& d : batch.disruptions()) FuzzDisruption(d);
  }
  return 0;
}
