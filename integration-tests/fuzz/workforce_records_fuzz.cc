// Fuzz target: arbitrary bytes parsed as each workforce write message (the
// person-record and wellbeing-event batches, PutUpliftTarget and
// PutPopulationReference) and run through the service's validation.
// Validation must never crash; a record it accepts must re-validate the same
// after a serialisation round trip, and its dates must be what the store
// assumes when it files it (it dereferences the parsed dates unchecked).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/util/dates.h"
#include "common/validation/field_violations.h"
#include "google/protobuf/stubs/logging.h"
#include "peel/workforce/v1/workforce.pb.h"
#include "services/workforce/validate.h"

namespace v1 = ::peel::workforce::v1;
namespace wf = ::peel::workforce;
using ::peel::validation::FieldViolations;

namespace {

// The day of an accepted date: it must parse and lie in the service's range.
int32_t AcceptedDay(const std::string& iso) {
  auto day = ::peel::dates::ParseIsoDate(iso);
  if (!day.ok() || iso < wf::kEarliestDate || iso > wf::kLatestDate) {
    std::abort();
  }
  return *day;
}

template <typename Record, typename Check>
void CheckRoundTrip(const Record& record, Check check) {
  Record again;
  if (!again.ParseFromString(record.SerializeAsString())) std::abort();
  FieldViolations w;
  check(again, &w);
  if (!w.empty()) std::abort();
}

void FuzzPersonRecord(const v1::PersonRecord& r) {
  FieldViolations v;
  wf::ValidatePersonRecord(r, &v);
  if (!v.empty()) return;
  CheckRoundTrip(r, wf::ValidatePersonRecord);
  const int32_t joined = AcceptedDay(r.date_joined());
  int32_t left = joined;
  if (!r.date_left().empty()) {
    left = AcceptedDay(r.date_left());
    if (left <= joined) std::abort();
  }
  // The store files the version under its effective date, date_joined when
  // none is given: that version must lie in [joined, left] and validate.
  v1::PersonRecord normal = r;
  if (normal.effective_date().empty()) {
    normal.set_effective_date(r.date_joined());
  }
  const int32_t effective = AcceptedDay(normal.effective_date());
  if (effective < joined || (!r.date_left().empty() && effective > left)) {
    std::abort();
  }
  CheckRoundTrip(normal, wf::ValidatePersonRecord);
}

void FuzzWellbeingEvent(const v1::WellbeingEvent& e) {
  FieldViolations v;
  wf::ValidateWellbeingEvent(e, &v);
  if (!v.empty()) return;
  CheckRoundTrip(e, wf::ValidateWellbeingEvent);
  if (e.has_occupational_health()) {
    const int32_t referred = AcceptedDay(e.occupational_health().referred_on());
    const int32_t seen = AcceptedDay(e.occupational_health().appointment_on());
    if (seen < referred) std::abort();
  } else if (e.has_screening()) {
    AcceptedDay(e.screening().done_on());
  } else {
    std::abort();  // the store counts an event of one kind or the other
  }
}

void FuzzUpliftTarget(const v1::UpliftTarget& t) {
  if (!wf::ValidateUpliftTarget(t).ok()) return;
  v1::UpliftTarget again;
  if (!again.ParseFromString(t.SerializeAsString()) ||
      !wf::ValidateUpliftTarget(again).ok()) {
    std::abort();
  }
  // Allocations come in date order after the baseline, never shrinking.
  int32_t previous = AcceptedDay(t.baseline_date());
  int64_t officers = 0;
  for (const auto& a : t.allocations()) {
    const int32_t day = AcceptedDay(a.by_date());
    if (day <= previous || a.additional_officers() < officers ||
        a.additional_officers() <= 0) {
      std::abort();
    }
    previous = day;
    officers = a.additional_officers();
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
  v1::PersonRecordBatch people;
  if (people.ParseFromArray(data, n)) {
    for (const auto& r : people.records()) FuzzPersonRecord(r);
  }
  v1::WellbeingEventBatch events;
  if (events.ParseFromArray(data, n)) {
    for (const auto& e : events.events()) FuzzWellbeingEvent(e);
  }
  v1::PutUpliftTargetRequest target;
  if (target.ParseFromArray(data, n)) FuzzUpliftTarget(target.target());
  v1::PutPopulationReferenceRequest reference;
  if (reference.ParseFromArray(data, n)) {
    const auto& p = reference.reference();
    if (wf::ValidatePopulationReference(p).ok() &&
        !(p.ethnic_minority_share() >= 0 && p.ethnic_minority_share() <= 1)) {
      std::abort();
    }
  }
  return 0;
}
