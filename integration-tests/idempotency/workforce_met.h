// The Metropolitan fixture of workforce as a replay driver
// (common/testing/replay.h): its set-up, its ingest streams and its read RPCs'
// answers. Used by the idempotency and load tests.
#pragma once
#include "common/testing/replay.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/workforce/tests/met_fixture.h"

namespace peel::reliability {

namespace wfv1 = ::peel::workforce::v1;
namespace wf_met = ::peel::workforce::testing;
using peel::testing::AppendAnswer;

struct WorkforceMetDriver {
  using Stub = wfv1::WorkforceService::Stub;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return wfv1::WorkforceService::NewStub(c);
  }
  absl::Status Prepare(Stub& stub) {
    std::string ignored;
    wfv1::PutUpliftTargetRequest target;
    *target.mutable_target() = wf_met::MetUpliftTarget();
    wfv1::PutPopulationReferenceRequest population;
    *population.mutable_reference() = wf_met::MetPopulation();
    absl::Status s = AppendAnswer<wfv1::UpliftTarget>(
        [&](grpc::ClientContext* c, wfv1::UpliftTarget* a) {
          return stub.PutUpliftTarget(c, target, a);
        },
        &ignored);
    if (!s.ok()) return s;
    return AppendAnswer<wfv1::PopulationReference>(
        [&](grpc::ClientContext* c, wfv1::PopulationReference* a) {
          return stub.PutPopulationReference(c, population, a);
        },
        &ignored);
  }
  std::vector<peel::testing::ReplayStream<Stub>> Streams() {
    return {
        peel::testing::MakeReplayStream<Stub>(
            "person records", wf_met::PersonBatches(wf_met::MetPeople(), 1000),
            [](Stub& s, grpc::ClientContext* c) {
              return s.IngestPersonRecords(c);
            }),
        peel::testing::MakeReplayStream<Stub>(
            "wellbeing events",
            wf_met::EventBatches(wf_met::MetWellbeingEvents(), 100),
            [](Stub& s, grpc::ClientContext* c) {
              return s.IngestWellbeingEvents(c);
            })};
  }
  absl::StatusOr<std::string> Figures(Stub& stub) {
    std::string out;
    for (const char* as_of : {"2021-03-31", "2021-12-31", "2022-03-31"}) {
      wfv1::GetWorkforceProfileRequest req;
      req.set_force("metropolitan");
      req.set_as_of(as_of);
      absl::Status s = AppendAnswer<wfv1::WorkforceProfile>(
          [&](grpc::ClientContext* c, wfv1::WorkforceProfile* a) {
            return stub.GetWorkforceProfile(c, req, a);
          },
          &out);
      if (!s.ok()) return s;
    }
    wfv1::GetNationalWorkforceRequest national;
    national.set_as_of("2022-03-31");
    absl::Status s = AppendAnswer<wfv1::NationalWorkforce>(
        [&](grpc::ClientContext* c, wfv1::NationalWorkforce* a) {
          return stub.GetNationalWorkforce(c, national, a);
        },
        &out);
    if (!s.ok()) return s;
    return out;
  }
};

}  // namespace peel::reliability
