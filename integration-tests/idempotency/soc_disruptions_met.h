// The Metropolitan fixture of soc-disruptions as a replay driver
// (common/testing/replay.h): its set-up, its ingest streams and its read RPCs'
// answers. Used by the idempotency and load tests.
#pragma once
#include "common/testing/replay.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "services/soc-disruptions/tests/met_fixture.h"

namespace peel::reliability {

namespace socv1 = ::peel::soc::v1;
namespace soc_met = ::peel::soc::testing;
using peel::testing::AppendAnswer;

struct SocDisruptionsMetDriver {
  using Stub = socv1::SocDisruptionService::Stub;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return socv1::SocDisruptionService::NewStub(c);
  }
  absl::Status Prepare(Stub& stub) {
    std::string ignored;
    for (const auto& g : soc_met::MetGroups()) {
      socv1::RegisterGroupRequest req;
      *req.mutable_group() = g;
      absl::Status s = AppendAnswer<socv1::OrganisedCrimeGroup>(
          [&](grpc::ClientContext* c, socv1::OrganisedCrimeGroup* a) {
            return stub.RegisterGroup(c, req, a);
          },
          &ignored);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  std::vector<peel::testing::ReplayStream<Stub>> Streams() {
    return {peel::testing::MakeReplayStream<Stub>(
        "disruptions", soc_met::Batches(soc_met::MetDisruptions(), 250),
        [](Stub& s, grpc::ClientContext* c) {
          return s.IngestDisruptions(c);
        })};
  }
  absl::StatusOr<std::string> Figures(Stub& stub) {
    std::string out;
    const std::pair<const char*, const char*> years[] = {
        {"2020-07-01", "2021-06-30"}, {"2021-07-01", "2022-06-30"}};
    for (const auto& [start, end] : years) {
      socv1::GetDisruptionSummaryRequest req;
      req.set_force("metropolitan");
      req.mutable_period()->set_start_date(start);
      req.mutable_period()->set_end_date(end);
      absl::Status s = AppendAnswer<socv1::DisruptionSummary>(
          [&](grpc::ClientContext* c, socv1::DisruptionSummary* a) {
            return stub.GetDisruptionSummary(c, req, a);
          },
          &out);
      if (!s.ok()) return s;
    }
    for (const char* op : {soc_met::kProject, soc_met::kOrochi}) {
      socv1::GetOperationSummaryRequest req;
      req.set_force("metropolitan");
      req.set_operation(op);
      absl::Status s = AppendAnswer<socv1::OperationSummary>(
          [&](grpc::ClientContext* c, socv1::OperationSummary* a) {
            return stub.GetOperationSummary(c, req, a);
          },
          &out);
      if (!s.ok()) return s;
    }
    socv1::GetNationalDisruptionsRequest national;
    national.mutable_period()->set_start_date("2021-07-01");
    national.mutable_period()->set_end_date("2022-06-30");
    absl::Status s = AppendAnswer<socv1::NationalDisruptions>(
        [&](grpc::ClientContext* c, socv1::NationalDisruptions* a) {
          return stub.GetNationalDisruptions(c, national, a);
        },
        &out);
    if (!s.ok()) return s;
    return out;
  }
};

}  // namespace peel::reliability
