// Fuzz target: arbitrary bytes parsed as crime-recording write messages and
// run through the service's validation. Validation must never crash, and a
// record it accepts must re-validate the same after a serialisation round
// trip (what the store writes is what was checked).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/validation/field_violations.h"
#include "google/protobuf/stubs/logging.h"
#include "peel/crimerecording/v1/crime_recording.pb.h"
#include "services/crime-recording/validate.h"

namespace v1 = ::peel::crimerecording::v1;

// Arbitrary bytes often hold invalid UTF-8 in string fields; protobuf logs
// each such parse, which would slow the fuzzer to a crawl. Discard its log.
[[maybe_unused]] const bool kQuietProtobuf = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::Audit audit;
  if (audit.ParseFromArray(data, static_cast<int>(size))) {
    (void)peel::crimerecording::ValidateAudit(audit);
  }
  v1::AuditedIncidentBatch batch;
  if (batch.ParseFromArray(data, static_cast<int>(size))) {
    v1::Audit fixed;
    fixed.set_audit_id("fuzz");
    for (int s = 1; s <= 3; ++s) {
      auto* w = fixed.add_strata();
      w->set_stratum(static_cast<v1::CrimeStratum>(s));
      w->set_weight(1.0 / 3);
    }
    for (const auto& incident : batch.incidents()) {
      peel::validation::FieldViolations v;
      peel::crimerecording::ValidateAuditedIncident(incident, fixed, &v);
      if (v.empty()) {
        v1::AuditedIncident again;
        if (!again.ParseFromString(incident.SerializeAsString())) std::abort();
        peel::validation::FieldViolations w;
        peel::crimerecording::ValidateAuditedIncident(again, fixed, &w);
        if (!w.empty()) std::abort();
      }
    }
  }
  v1::CancellationReviewBatch reviews;
  if (reviews.ParseFromArray(data, static_cast<int>(size))) {
    for (const auto& r : reviews.reviews()) {
      peel::validation::FieldViolations v;
      peel::crimerecording::ValidateCancellationReview(r, &v);
    }
  }
  v1::IncidentLogBatch log;
  if (log.ParseFromArray(data, static_cast<int>(size))) {
    for (const auto& e : log.entries()) {
      peel::validation::FieldViolations v;
      peel::crimerecording::ValidateIncidentLogEntry(e, &v);
    }
  }
  v1::DrawAuditSampleRequest sample;
  if (sample.ParseFromArray(data, static_cast<int>(size))) {
    (void)peel::crimerecording::ValidateDrawAuditSample(sample);
  }
  return 0;
}
