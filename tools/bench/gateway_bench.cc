// Gateway benchmark (issue 9): the four store services and the gateway as
// real processes on loopback, each store loaded with --records records of
// the suite's workloads (spread over the 43 forces; crime-recording's
// incidents belong to one Metropolitan audit), then
//  - GetForceAssessment for the Metropolitan Police Service, PEEL year
//    2021/22: p50/p99 over --calls sequential calls, and throughput with
//    --concurrency client threads;
//  - every backend call the gateway makes for it, called directly with the
//    same requests: p50 of each; the slowest is the assessment's floor.
//
//   gateway_bench --build_dir=build/release --policy=PATH [--records=100000]
#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "tools/bench/harness.h"
#include "tools/bench/workload.h"

ABSL_FLAG(std::string, build_dir, "build/release", "where the binaries are");
ABSL_FLAG(std::string, policy, "", "grading policy for the gateway");
ABSL_FLAG(int64_t, records, 100000, "records loaded into each store");
ABSL_FLAG(int, runs, 3, "samples of each figure");
ABSL_FLAG(int, calls, 300, "calls per latency sample");
ABSL_FLAG(int, concurrency, 4, "client threads for the throughput figure");

namespace peel::bench {
namespace {

using peel::testing::ServerProcess;

std::unique_ptr<ServerProcess> Start(const std::string& binary,
                                     const std::string& health,
                                     const peel::testing::TempDir& dir,
                                     const std::string& name,
                                     std::vector<std::string> extra = {}) {
  std::filesystem::create_directories(dir.Sub(name));
  peel::testing::ServerProcessOptions o;
  o.binary = binary;
  o.service_name = health;
  o.data_dir = dir.Sub(name + "-data");
  o.work_dir = dir.Sub(name);
  o.extra_args = std::move(extra);
  o.extra_args.push_back("--drain_seconds=0");
  auto s = ServerProcess::Start(o);
  if (!s.ok()) Fail(s.status().ToString());
  TrackServer((*s)->pid());
  return std::move(*s);
}

template <typename Req>
void SetPeelYear(Req* req) {
  req->mutable_period()->set_start_date("2021-04-01");
  req->mutable_period()->set_end_date("2022-03-31");
}

// Calls of the backends, by name, as the gateway makes them for the Met.
std::vector<std::pair<std::string, std::function<void()>>> BackendCalls(
    const std::map<std::string, std::shared_ptr<grpc::Channel>>& ch) {
  namespace cr = ::peel::crimerecording::v1;
  namespace vs = ::peel::victimservice::v1;
  namespace wf = ::peel::workforce::v1;
  namespace soc = ::peel::soc::v1;
  std::shared_ptr<cr::CrimeRecordingService::Stub> crs =
      cr::CrimeRecordingService::NewStub(ch.at("crime-recording"));
  std::shared_ptr<vs::VictimService::Stub> vss =
      vs::VictimService::NewStub(ch.at("victim-service"));
  std::shared_ptr<wf::WorkforceService::Stub> wfs =
      wf::WorkforceService::NewStub(ch.at("workforce"));
  std::shared_ptr<soc::SocDisruptionService::Stub> socs =
      soc::SocDisruptionService::NewStub(ch.at("soc-disruptions"));
  auto check = [](const grpc::Status& s, const char* what) {
    if (!s.ok()) Fail(absl::StrCat(what, ": ", s.error_message()));
  };
  std::vector<std::pair<std::string, std::function<void()>>> out;
  out.emplace_back("crime-recording ListAudits + GetRecordingEstimate", [=] {
    cr::ListAuditsRequest lreq;
    lreq.set_force("metropolitan");
    cr::ListAuditsResponse lresp;
    grpc::ClientContext c1;
    c1.set_deadline(Deadline(10));
    check(crs->ListAudits(&c1, lreq, &lresp), "ListAudits");
    cr::GetRecordingEstimateRequest req;
    req.set_audit_id("bench-audit");
    cr::RecordingEstimate resp;
    grpc::ClientContext c2;
    c2.set_deadline(Deadline(10));
    check(crs->GetRecordingEstimate(&c2, req, &resp), "GetRecordingEstimate");
  });
  out.emplace_back("crime-recording GetNationalRecordingRates", [=] {
    cr::GetNationalRecordingRatesRequest req;
    SetPeelYear(&req);
    cr::NationalRecordingRates resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(crs->GetNationalRecordingRates(&c, req, &resp),
          "GetNationalRecordingRates");
  });
  out.emplace_back("victim-service GetCallHandlingSummary", [=] {
    vs::GetCallHandlingSummaryRequest req;
    req.set_force("metropolitan");
    SetPeelYear(&req);
    vs::CallHandlingSummary resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(vss->GetCallHandlingSummary(&c, req, &resp),
          "GetCallHandlingSummary");
  });
  out.emplace_back("victim-service GetNationalCallHandling", [=] {
    vs::GetNationalCallHandlingRequest req;
    SetPeelYear(&req);
    vs::NationalCallHandling resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(vss->GetNationalCallHandling(&c, req, &resp),
          "GetNationalCallHandling");
  });
  out.emplace_back("workforce GetWorkforceProfile", [=] {
    wf::GetWorkforceProfileRequest req;
    req.set_force("metropolitan");
    req.set_as_of("2022-03-31");
    wf::WorkforceProfile resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(wfs->GetWorkforceProfile(&c, req, &resp), "GetWorkforceProfile");
  });
  out.emplace_back("workforce GetNationalWorkforce", [=] {
    wf::GetNationalWorkforceRequest req;
    req.set_as_of("2022-03-31");
    wf::NationalWorkforce resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(wfs->GetNationalWorkforce(&c, req, &resp), "GetNationalWorkforce");
  });
  out.emplace_back("soc-disruptions GetDisruptionSummary", [=] {
    soc::GetDisruptionSummaryRequest req;
    req.set_force("metropolitan");
    SetPeelYear(&req);
    soc::DisruptionSummary resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(socs->GetDisruptionSummary(&c, req, &resp), "GetDisruptionSummary");
  });
  out.emplace_back("soc-disruptions GetNationalDisruptions", [=] {
    soc::GetNationalDisruptionsRequest req;
    SetPeelYear(&req);
    soc::NationalDisruptions resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(10));
    check(socs->GetNationalDisruptions(&c, req, &resp),
          "GetNationalDisruptions");
  });
  return out;
}

}  // namespace
}  // namespace peel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace peel::bench;  // NOLINT: main only
  const std::string b = absl::GetFlag(FLAGS_build_dir);
  const int64_t records = absl::GetFlag(FLAGS_records);
  const int runs = absl::GetFlag(FLAGS_runs);
  const int calls = absl::GetFlag(FLAGS_calls);
  peel::testing::TempDir dir("bench-gateway");

  std::vector<std::unique_ptr<Workload>> workloads;
  workloads.push_back(MakeCrimeRecordingWorkload());
  workloads.push_back(MakeVictimServiceWorkload());
  workloads.push_back(MakeWorkforceWorkload());
  workloads.push_back(MakeSocDisruptionsWorkload());
  std::vector<std::unique_ptr<peel::testing::ServerProcess>> servers;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::string> gateway_args = {"--policy=" +
                                           absl::GetFlag(FLAGS_policy)};
  for (auto& w : workloads) {
    const std::string bin =
        absl::StrCat(b, "/services/", w->name(), "/", w->name());
    servers.push_back(Start(bin, w->health_name(), dir, w->name()));
    auto channel = grpc::CreateChannel(servers.back()->address(),
                                       grpc::InsecureChannelCredentials());
    channels[w->name()] = channel;
    w->Connect(channel);
    w->Setup();
    w->Ingest(0, records, 2, 1000, false);
    std::string flag = w->name();
    for (char& c : flag) c = c == '-' ? '_' : c;
    gateway_args.push_back(
        absl::StrCat("--", flag, "_addr=", servers.back()->address()));
  }
  auto gateway =
      Start(b + "/services/gateway/gateway",
            "peel.gateway.v1.AssessmentGateway", dir, "gateway", gateway_args);
  auto gw = ::peel::gateway::v1::AssessmentGateway::NewStub(grpc::CreateChannel(
      gateway->address(), grpc::InsecureChannelCredentials()));
  auto assess = [&] {
    ::peel::gateway::v1::GetForceAssessmentRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date("2021-04-01");
    req.mutable_period()->set_end_date("2022-03-31");
    ::peel::gateway::v1::ForceAssessment resp;
    grpc::ClientContext c;
    c.set_deadline(Deadline(30));
    grpc::Status s = gw->GetForceAssessment(&c, req, &resp);
    if (!s.ok()) Fail("GetForceAssessment: " + s.error_message());
  };
  Result("gateway", "forces", 43);
  assess();  // warm the channels
  auto backend = BackendCalls(channels);
  for (int r = 0; r < runs; ++r) {
    Latency l = Measure(calls, assess);
    Result("gateway", "assessment_p50_us", l.p50_us);
    Result("gateway", "assessment_p99_us", l.p99_us);
    // Throughput: --concurrency threads sharing the calls.
    const int threads = absl::GetFlag(FLAGS_concurrency);
    std::atomic<int> left{calls};
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        while (left.fetch_sub(1) > 0) assess();
      });
    }
    for (auto& t : pool) t.join();
    Result("gateway", "assessment_calls_per_s", calls / SecondsSince(t0));
    double slowest = 0;
    std::string slowest_name;
    for (size_t i = 0; i < backend.size(); ++i) {
      const auto& [name, call] = backend[i];
      call();
      Latency bl = Measure(calls, call);
      Result("gateway", absl::StrCat("backend", i, "_p50_us"), bl.p50_us);
      if (r == 0)
        std::cout << "INFO gateway backend" << i << " " << name << "\n";
      if (bl.p50_us > slowest) {
        slowest = bl.p50_us;
        slowest_name = name;
      }
    }
    Result("gateway", "slowest_backend_p50_us", slowest);
    std::cout << "INFO gateway slowest " << slowest_name << "\n";
  }
  UntrackServer(gateway->pid());
  gateway->Terminate();
  for (auto& s : servers) {
    UntrackServer(s->pid());
    s->Terminate();
  }
  return 0;
}
