// Fuzz target: arbitrary bytes parsed as each victim-service write message
// (CreateAssessment, and the case-review, call-record and monthly-aggregate
// batches) and run through the service's validation. Validation must never
// crash; a record it accepts must re-validate the same after a serialisation
// round trip, and must satisfy what the store assumes of it when it files
// the record (the call's month, the aggregate's month and bands).
// Whether the case reviews' assessment exists is a store lookup, not fuzzed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/validation/field_violations.h"
#include "google/protobuf/stubs/logging.h"
#include "peel/victimservice/v1/victim_service.pb.h"
#include "services/victim-service/validate.h"

namespace v1 = ::peel::victimservice::v1;
namespace vs = ::peel::victimservice;
using ::peel::validation::FieldViolations;

namespace {

// 9999-12: the last month ParseMonth accepts.
constexpr int32_t kLastMonth = (9999 - 1970) * 12 + 11;

template <typename Record, typename Check>
void CheckRoundTrip(const Record& record, Check check) {
  Record again;
  if (!again.ParseFromString(record.SerializeAsString())) std::abort();
  FieldViolations w;
  check(again, &w);
  if (!w.empty()) std::abort();
}

void FuzzCallRecord(const v1::CallRecord& call) {
  FieldViolations v;
  vs::ValidateCallRecord(call, &v);
  if (!v.empty()) return;
  CheckRoundTrip(call, vs::ValidateCallRecord);
  // The store counts the call in its calendar month: it must be a month
  // the service can name (2000-01 to 9999-12), and name back.
  const int32_t month = vs::MonthOfUnixSeconds(call.offered_at().seconds());
  if (month < (2000 - 1970) * 12 || month > kLastMonth) std::abort();
  int32_t parsed = -1;
  if (!vs::ParseMonth(vs::FormatMonth(month), &parsed) || parsed != month) {
    std::abort();
  }
}

void FuzzMonthlyAggregate(const v1::MonthlyCallAggregate& m) {
  FieldViolations v;
  int32_t month = -1;
  vs::ValidateMonthlyAggregate(m, &v, &month);
  if (!v.empty()) return;
  CheckRoundTrip(m, [](const v1::MonthlyCallAggregate& r, FieldViolations* w) {
    int32_t ignored;
    vs::ValidateMonthlyAggregate(r, w, &ignored);
  });
  if (month < 0 || month > kLastMonth || vs::FormatMonth(month) != m.month()) {
    std::abort();
  }
  // The bands partition the calls (summed without overflow).
  const __int128 bands =
      static_cast<__int128>(m.under_10s()) + m.from_10_to_60s() + m.over_60s();
  if (m.under_10s() < 0 || m.from_10_to_60s() < 0 || m.over_60s() < 0 ||
      bands != m.calls()) {
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
  v1::CreateAssessmentRequest create;
  if (create.ParseFromArray(data, n)) {
    if (vs::ValidateAssessment(create.assessment()).ok()) {
      v1::Assessment again;
      if (!again.ParseFromString(create.assessment().SerializeAsString()) ||
          !vs::ValidateAssessment(again).ok()) {
        std::abort();
      }
    }
  }
  v1::CaseReviewBatch reviews;
  if (reviews.ParseFromArray(data, n)) {
    for (const auto& r : reviews.reviews()) {
      FieldViolations v;
      vs::ValidateCaseReview(r, &v);
      if (v.empty()) CheckRoundTrip(r, vs::ValidateCaseReview);
    }
  }
  v1::CallRecordBatch calls;
  if (calls.ParseFromArray(data, n)) {
    for (const auto& c : calls.calls()) FuzzCallRecord(c);
  }
  v1::MonthlyCallAggregateBatch months;
  if (months.ParseFromArray(data, n)) {
    for (const auto& m : months.months()) FuzzMonthlyAggregate(m);
  }
  return 0;
}
