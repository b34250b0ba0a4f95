// The Metropolitan fixture of victim-service as a replay driver
// (common/testing/replay.h): its set-up, its ingest streams and its read RPCs'
// answers. Used by the idempotency and load tests.
#pragma once
#include "common/testing/replay.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "services/victim-service/tests/met_fixture.h"

namespace peel::reliability {

namespace vsv1 = ::peel::victimservice::v1;
namespace vs_met = ::peel::victimservice::testing;
using peel::testing::AppendAnswer;

struct VictimServiceMetDriver {
  using Stub = vsv1::VictimService::Stub;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return vsv1::VictimService::NewStub(c);
  }
  absl::Status Prepare(Stub& stub) {
    vsv1::CreateAssessmentRequest req;
    *req.mutable_assessment() = vs_met::MetAssessment();
    std::string ignored;
    return AppendAnswer<vsv1::Assessment>(
        [&](grpc::ClientContext* c, vsv1::Assessment* a) {
          return stub.CreateAssessment(c, req, a);
        },
        &ignored);
  }
  std::vector<peel::testing::ReplayStream<Stub>> Streams() {
    return {
        peel::testing::MakeReplayStream<Stub>(
            "case reviews", vs_met::ReviewBatches(vs_met::MetCaseReviews(), 10),
            [](Stub& s, grpc::ClientContext* c) {
              return s.IngestCaseReviews(c);
            }),
        peel::testing::MakeReplayStream<Stub>(
            "call records", vs_met::CallBatches(vs_met::MetCallRecords(), 100),
            [](Stub& s, grpc::ClientContext* c) {
              return s.IngestCallRecords(c);
            })};
  }
  absl::StatusOr<std::string> Figures(Stub& stub) {
    std::string out;
    vsv1::GetCheckSummaryRequest checks;
    checks.set_assessment_id(vs_met::MetAssessment().assessment_id());
    vsv1::GetCallHandlingSummaryRequest calls;
    calls.set_force("metropolitan");
    calls.mutable_period()->set_start_date("2021-10-01");
    calls.mutable_period()->set_end_date("2021-12-31");
    vsv1::GetNationalCallHandlingRequest national;
    *national.mutable_period() = calls.period();
    absl::Status s = AppendAnswer<vsv1::CheckSummary>(
        [&](grpc::ClientContext* c, vsv1::CheckSummary* a) {
          return stub.GetCheckSummary(c, checks, a);
        },
        &out);
    if (s.ok()) {
      s = AppendAnswer<vsv1::CallHandlingSummary>(
          [&](grpc::ClientContext* c, vsv1::CallHandlingSummary* a) {
            return stub.GetCallHandlingSummary(c, calls, a);
          },
          &out);
    }
    if (s.ok()) {
      s = AppendAnswer<vsv1::NationalCallHandling>(
          [&](grpc::ClientContext* c, vsv1::NationalCallHandling* a) {
            return stub.GetNationalCallHandling(c, national, a);
          },
          &out);
    }
    if (!s.ok()) return s;
    return out;
  }
};

}  // namespace peel::reliability
