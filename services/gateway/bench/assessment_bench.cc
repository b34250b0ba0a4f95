// gateway_assessment_bench: GetForceAssessment against four real store
// services with `--forces` forces loaded (seeded synthetic data), beside the
// slowest backend call the assessment makes, measured in the same run
// through the gateway's own adapters (the very calls it fans out).
//
//   gateway_assessment_bench --build_dir=build/release [--forces=43]
//       [--calls=300] [--callers=16] [--seconds=5] [--runs=1] [--seed=1]
//
// A second gateway with its caches off (--assessment_cache_entries=0) is
// timed beside it: every assessment then makes the whole fan-out, as the
// first one after a data change does; each is also set against the slowest
// backend within its own fan-out (the answer's BackendState.latency_micros),
// timed under the same contention.
//
// Prints human-readable lines and, for tools/bench/run-all, one
// "RESULT gateway <figure> <value>" line per figure and run:
//   forces, assessment_p50_us, assessment_p99_us, assessment_calls_per_s
//   (sustained, --callers concurrent callers), slowest_backend_p50_us,
//   slowest_backend_p99_us, ratio_p50, ratio_p99, uncached_p50_us,
//   uncached_p99_us, uncached_ratio_p50, uncached_fanout_slowest_p50_us,
//   uncached_over_fanout_ratio_p50/_p99, version_check_p50_us (the slowest
//   backend's GetDataVersion, what a cached assessment asks when its pushed
//   versions are not trusted), parallel_backends_p50_us/_p99_us, errors
// and "INFO gateway slowest <backend>".
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/backends.h"
#include "services/gateway/bench/suite_data.h"
#include "services/gateway/catalogue.h"
#include "tools/bench/forces.h"
#include "tools/bench/harness.h"

ABSL_FLAG(std::string, build_dir, "build/release",
          "build folder holding services/<name>/<name>");
ABSL_FLAG(std::string, policy, PEEL_GATEWAY_POLICY_PATH,
          "the gateway's grading policy");
ABSL_FLAG(int, forces, 43, "forces loaded (at most 43)");
ABSL_FLAG(int, calls, 300, "sequential calls per latency sample");
ABSL_FLAG(int, callers, 16, "concurrent callers for the throughput figure");
ABSL_FLAG(double, seconds, 5, "length of the throughput run");
ABSL_FLAG(int, runs, 1, "samples of each figure");
ABSL_FLAG(uint64_t, seed, 1, "seed of the synthetic data");

namespace peel::gateway::bench {
namespace {

using peel::bench::Fail;
using peel::bench::Result;
using Clock = std::chrono::system_clock;

struct Binary {
  const char* name;
  const char* health;
};
constexpr Binary kBackends[] = {
    {"crime-recording", "peel.crimerecording.v1.CrimeRecordingService"},
    {"victim-service", "peel.victimservice.v1.VictimService"},
    {"workforce", "peel.workforce.v1.WorkforceService"},
    {"soc-disruptions", "peel.soc.v1.SocDisruptionService"},
};

peel::common::v1::Period Peel2122() {
  peel::common::v1::Period p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-06-30");
  return p;
}

std::unique_ptr<peel::testing::ServerProcess> Start(
    const std::string& build, const std::string& name,
    const std::string& health, const peel::testing::TempDir& dir,
    std::vector<std::string> args = {}) {
  peel::testing::ServerProcessOptions o;
  o.binary = absl::StrCat(build, "/services/", name, "/", name);
  o.service_name = health;
  o.data_dir = dir.Sub(name + "-data");
  o.work_dir = dir.Sub(name);
  o.extra_args = std::move(args);
  std::filesystem::create_directories(o.work_dir);
  auto p = peel::testing::ServerProcess::Start(o);
  if (!p.ok()) Fail(absl::StrCat(name, ": ", p.status().ToString()));
  return std::move(*p);
}

struct Percentiles {
  double p50_us, p99_us;
};
Percentiles Of(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

// One backend's FetchForce through the gateway's adapter, blocking.
double TimeFetch(BackendAdapter* adapter,
                 const std::shared_ptr<grpc::Channel>& channel,
                 const std::string& force) {
  const CallScope scope(nullptr, Clock::now() + std::chrono::seconds(10));
  absl::Notification done;
  absl::Status status;
  const auto t0 = std::chrono::steady_clock::now();
  adapter->FetchForce(scope, channel, force, Peel2122(),
                      [&](absl::StatusOr<ForceEvidence> e) {
                        status = e.status();
                        done.Notify();
                      });
  done.WaitForNotification();
  const double us = std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
  if (!status.ok()) Fail(absl::StrCat("backend call: ", status.ToString()));
  return us;
}

// One backend's GetDataVersion through the gateway's adapter, blocking.
double TimeVersion(BackendAdapter* adapter,
                   const std::shared_ptr<grpc::Channel>& channel) {
  const CallScope scope(nullptr, Clock::now() + std::chrono::seconds(10));
  absl::Notification done;
  absl::Status status;
  const auto t0 = std::chrono::steady_clock::now();
  adapter->FetchDataVersion(
      scope, channel, [&](absl::StatusOr<peel::common::v1::DataVersion> v) {
        status = v.status();
        done.Notify();
      });
  done.WaitForNotification();
  const double us = std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
  if (!status.ok()) Fail(absl::StrCat("version call: ", status.ToString()));
  return us;
}

// All four backends' FetchForce at once, as the gateway fans out: the
// floor a parallel fan-out can reach on this machine, without the gateway.
double TimeParallel(
    const std::vector<std::unique_ptr<BackendAdapter>>& adapters,
    const std::map<v1::Backend, std::shared_ptr<grpc::Channel>>& channels,
    const std::string& force) {
  const CallScope scope(nullptr, Clock::now() + std::chrono::seconds(10));
  absl::Notification done;
  std::atomic<int> left{static_cast<int>(adapters.size())};
  std::atomic<bool> failed{false};
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& a : adapters) {
    a->FetchForce(scope, channels.at(a->backend()), force, Peel2122(),
                  [&](absl::StatusOr<ForceEvidence> e) {
                    if (!e.ok()) failed = true;
                    if (left.fetch_sub(1) == 1) done.Notify();
                  });
  }
  done.WaitForNotification();
  if (failed) Fail("a backend call failed");
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now() - t0)
      .count();
}

int Run() {
  const std::string build = absl::GetFlag(FLAGS_build_dir);
  const int nforces = std::min<int>(absl::GetFlag(FLAGS_forces), 43);
  std::vector<std::string> forces(peel::bench::PeelForces().begin(),
                                  peel::bench::PeelForces().begin() + nforces);
  peel::testing::TempDir dir("gateway-bench");

  std::vector<std::unique_ptr<peel::testing::ServerProcess>> procs;
  for (const Binary& b : kBackends) {
    procs.push_back(Start(build, b.name, b.health, dir));
  }
  auto channel = [](const peel::testing::ServerProcess& p) {
    return grpc::CreateChannel(p.address(), grpc::InsecureChannelCredentials());
  };
  Backends backends{channel(*procs[0]), channel(*procs[1]), channel(*procs[2]),
                    channel(*procs[3])};
  const auto load_start = std::chrono::steady_clock::now();
  const LoadCounts n = LoadForces(backends, forces, absl::GetFlag(FLAGS_seed));
  std::cout << absl::StrFormat(
      "loaded %d forces in %.1f s: %d audited incidents, %d case reviews, "
      "%d call records, %d people, %d disruptions\n",
      nforces, peel::bench::SecondsSince(load_start), n.incidents, n.reviews,
      n.calls, n.people, n.disruptions);

  auto gateway =
      Start(build, "gateway", "peel.gateway.v1.AssessmentGateway", dir,
            {"--crime_recording_addr=" + procs[0]->address(),
             "--victim_service_addr=" + procs[1]->address(),
             "--workforce_addr=" + procs[2]->address(),
             "--soc_disruptions_addr=" + procs[3]->address(),
             "--policy=" + absl::GetFlag(FLAGS_policy)});
  auto gw_channel = channel(*gateway);
  auto stub = v1::AssessmentGateway::NewStub(gw_channel);
  peel::testing::TempDir uncached_dir("gateway-bench-uncached");
  auto uncached =
      Start(build, "gateway", "peel.gateway.v1.AssessmentGateway", uncached_dir,
            {"--crime_recording_addr=" + procs[0]->address(),
             "--victim_service_addr=" + procs[1]->address(),
             "--workforce_addr=" + procs[2]->address(),
             "--soc_disruptions_addr=" + procs[3]->address(),
             "--policy=" + absl::GetFlag(FLAGS_policy),
             "--assessment_cache_entries=0"});
  auto uncached_stub = v1::AssessmentGateway::NewStub(channel(*uncached));

  std::atomic<int64_t> errors{0};
  // Returns the slowest backend's time within this assessment
  // (BackendState.latency_micros: from the assessment's start until that
  // backend's part was done, its calls made at once with the others').
  auto assess = [&](v1::AssessmentGateway::Stub* s,
                    const std::string& force) -> double {
    v1::GetForceAssessmentRequest req;
    req.set_force(force);
    *req.mutable_period() = Peel2122();
    v1::ForceAssessment out;
    grpc::ClientContext ctx;
    ctx.set_deadline(Clock::now() + std::chrono::seconds(5));
    grpc::Status st = s->GetForceAssessment(&ctx, req, &out);
    bool complete = st.ok();
    double slowest_us = 0;
    for (const auto& b : out.backends()) {
      complete = complete && b.available();
      slowest_us =
          std::max(slowest_us, static_cast<double>(b.latency_micros()));
    }
    if (!complete) {
      if (errors.fetch_add(1) == 0) {
        std::cerr << "first error (" << force << "): " << st.error_message()
                  << " " << out.ShortDebugString().substr(0, 2000) << "\n";
      }
    }
    return slowest_us;
  };
  // Warm: every force once (fills the comparison caches, as in service).
  for (const auto& f : forces) {
    assess(stub.get(), f);
    assess(uncached_stub.get(), f);
  }

  // The gateway's adapters over their own channels, as the gateway holds.
  auto adapters = MakeAdapters();
  std::map<v1::Backend, std::shared_ptr<grpc::Channel>> backend_channel = {
      {v1::CRIME_RECORDING, backends.crime_recording},
      {v1::VICTIM_SERVICE, backends.victim_service},
      {v1::WORKFORCE, backends.workforce},
      {v1::SOC_DISRUPTIONS, backends.soc_disruptions}};

  const int calls = absl::GetFlag(FLAGS_calls);
  for (int run = 0; run < absl::GetFlag(FLAGS_runs); ++run) {
    errors = 0;
    std::vector<double> gw_us;
    // Interleaved: a gateway call, then each backend's call for the same
    // force, so machine noise hits both sides alike.
    std::map<v1::Backend, std::vector<double>> backend_us;
    std::vector<double> parallel_us, uncached_us;
    // Per caches-off assessment: its time over its own slowest backend
    // call, both under the same contention.
    std::vector<double> uncached_in_fanout_ratio, uncached_fanout_us;
    std::map<v1::Backend, std::vector<double>> version_us;
    for (int i = 0; i < calls; ++i) {
      const std::string& f = forces[i % forces.size()];
      const auto t0 = std::chrono::steady_clock::now();
      assess(stub.get(), f);
      gw_us.push_back(std::chrono::duration<double, std::micro>(
                          std::chrono::steady_clock::now() - t0)
                          .count());
      const auto t1 = std::chrono::steady_clock::now();
      const double fanout_us = assess(uncached_stub.get(), f);
      uncached_us.push_back(std::chrono::duration<double, std::micro>(
                                std::chrono::steady_clock::now() - t1)
                                .count());
      uncached_fanout_us.push_back(fanout_us);
      if (fanout_us > 0) {
        uncached_in_fanout_ratio.push_back(uncached_us.back() / fanout_us);
      }
      for (auto& a : adapters) {
        version_us[a->backend()].push_back(
            TimeVersion(a.get(), backend_channel[a->backend()]));
      }
      for (auto& a : adapters) {
        backend_us[a->backend()].push_back(
            TimeFetch(a.get(), backend_channel[a->backend()], f));
      }
      parallel_us.push_back(TimeParallel(adapters, backend_channel, f));
    }
    const Percentiles gw = Of(gw_us);
    std::string slowest;
    Percentiles slow{0, 0};
    for (auto& [backend, us] : backend_us) {
      const Percentiles p = Of(us);
      const std::string name(BackendOf(backend).service);
      std::cout << absl::StrFormat("  %-45s p50 %7.0f us  p99 %7.0f us\n", name,
                                   p.p50_us, p.p99_us);
      if (p.p50_us > slow.p50_us) {
        slow = p;
        slowest = name;
      }
    }

    double version_p50 = 0;
    for (auto& [backend, us] : version_us) {
      version_p50 = std::max(version_p50, Of(us).p50_us);
    }
    const Percentiles cold = Of(uncached_us);
    std::cout << absl::StrFormat(
        "  slowest GetDataVersion                       p50 %7.0f us\n"
        "  GetForceAssessment, caches off              p50 %7.0f us  p99 "
        "%7.0f us\n",
        version_p50, cold.p50_us, cold.p99_us);
    Result("gateway", "version_check_p50_us", version_p50);
    Result("gateway", "uncached_p50_us", cold.p50_us);
    Result("gateway", "uncached_p99_us", cold.p99_us);
    const Percentiles fanout = Of(uncached_fanout_us);
    const Percentiles in_fanout = Of(uncached_in_fanout_ratio);
    std::cout << absl::StrFormat(
        "  caches off: slowest backend within the fan-out p50 %7.0f us  p99 "
        "%7.0f us; assessment / it p50 %.2f, p99 %.2f\n",
        fanout.p50_us, fanout.p99_us, in_fanout.p50_us, in_fanout.p99_us);
    Result("gateway", "uncached_fanout_slowest_p50_us", fanout.p50_us);
    Result("gateway", "uncached_over_fanout_ratio_p50", in_fanout.p50_us);
    Result("gateway", "uncached_over_fanout_ratio_p99", in_fanout.p99_us);

    const Percentiles parallel = Of(parallel_us);
    std::cout << absl::StrFormat(
        "  all four backend calls at once (no gateway)  p50 %7.0f us  p99 "
        "%7.0f us\n",
        parallel.p50_us, parallel.p99_us);
    Result("gateway", "parallel_backends_p50_us", parallel.p50_us);
    Result("gateway", "parallel_backends_p99_us", parallel.p99_us);

    // Sustained throughput: --callers concurrent callers for --seconds.
    const int callers = absl::GetFlag(FLAGS_callers);
    const auto until =
        std::chrono::steady_clock::now() +
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::duration<double>(absl::GetFlag(FLAGS_seconds)));
    std::atomic<int64_t> done{0};
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < callers; ++c) {
      threads.emplace_back([&, c] {
        // One channel per caller: separate HTTP/2 connections, as separate
        // clients would have.
        grpc::ChannelArguments args;
        args.SetInt("peel.bench.caller", c);
        auto s = v1::AssessmentGateway::NewStub(grpc::CreateCustomChannel(
            gateway->address(), grpc::InsecureChannelCredentials(), args));
        for (size_t i = c; std::chrono::steady_clock::now() < until; ++i) {
          assess(s.get(), forces[i % forces.size()]);
          done.fetch_add(1);
        }
      });
    }
    for (auto& t : threads) t.join();
    const double per_s = done / peel::bench::SecondsSince(t0);

    std::cout << absl::StrFormat(
        "GetForceAssessment (%d forces): p50 %.0f us, p99 %.0f us; slowest "
        "backend call (%s) p50 %.0f us, p99 %.0f us; ratio p50 %.2f, p99 "
        "%.2f; %.0f assessments/s with %d callers; %d errors\n",
        nforces, gw.p50_us, gw.p99_us, slowest, slow.p50_us, slow.p99_us,
        gw.p50_us / slow.p50_us, gw.p99_us / slow.p99_us, per_s, callers,
        errors.load());
    Result("gateway", "forces", nforces);
    Result("gateway", "assessment_p50_us", gw.p50_us);
    Result("gateway", "assessment_p99_us", gw.p99_us);
    Result("gateway", "assessment_calls_per_s", per_s);
    Result("gateway", "slowest_backend_p50_us", slow.p50_us);
    Result("gateway", "slowest_backend_p99_us", slow.p99_us);
    Result("gateway", "ratio_p50", gw.p50_us / slow.p50_us);
    Result("gateway", "ratio_p99", gw.p99_us / slow.p99_us);
    Result("gateway", "uncached_ratio_p50", cold.p50_us / slow.p50_us);
    Result("gateway", "errors", static_cast<double>(errors.load()));
    std::cout << "INFO gateway slowest " << slowest << "\n";
    if (errors.load() > 0) Fail("assessments failed or were partial");
  }
  return 0;
}

}  // namespace
}  // namespace peel::gateway::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return peel::gateway::bench::Run();
}
