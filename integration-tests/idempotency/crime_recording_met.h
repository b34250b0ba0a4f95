// The Metropolitan fixture of crime-recording as a replay driver
// (common/testing/replay.h): its set-up, its ingest streams and its read RPCs'
// answers. Used by the idempotency and load tests.
#pragma once
#include "common/testing/replay.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace peel::reliability {

namespace crv1 = ::peel::crimerecording::v1;
namespace cr_met = ::peel::crimerecording::testing;

struct CrimeRecordingMetDriver {
  using Stub = crv1::CrimeRecordingService::Stub;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return crv1::CrimeRecordingService::NewStub(c);
  }
  absl::Status Prepare(Stub& stub) {
    crv1::CreateAuditRequest req;
    *req.mutable_audit() = cr_met::MetAudit();
    std::string ignored;
    return peel::testing::AppendAnswer<crv1::Audit>(
        [&](grpc::ClientContext* c, crv1::Audit* a) {
          return stub.CreateAudit(c, req, a);
        },
        &ignored);
  }
  std::vector<peel::testing::ReplayStream<Stub>> Streams() {
    return {peel::testing::MakeReplayStream<Stub>(
        "incidents", cr_met::Batches(cr_met::MetIncidents(), 25),
        [](Stub& s, grpc::ClientContext* c) {
          return s.IngestAuditedIncidents(c);
        })};
  }
  absl::StatusOr<std::string> Figures(Stub& stub) {
    std::string out;
    crv1::GetRecordingEstimateRequest req;
    req.set_audit_id(cr_met::MetAudit().audit_id());
    absl::Status s = peel::testing::AppendAnswer<crv1::RecordingEstimate>(
        [&](grpc::ClientContext* c, crv1::RecordingEstimate* e) {
          return stub.GetRecordingEstimate(c, req, e);
        },
        &out);
    if (!s.ok()) return s;
    return out;
  }
};

}  // namespace peel::reliability
