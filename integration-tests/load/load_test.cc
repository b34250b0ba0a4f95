// Load (issue 10): the gateway and every store service on loopback, loaded
// with the Metropolitan fixtures, driven at a fixed rate with a mix of
// gateway assessments, each service's read RPCs and small ingest batches.
// Open loop: call k is due at start + k / rate and its latency counts from
// then, so a server falling behind shows in the figures. Reports errors
// (must be 0), latency percentiles per call kind and every server's resident
// memory at start and end (growth must stay under a bound).
//
// PEEL_LOAD_SECONDS (default 10) and PEEL_LOAD_RATE (calls per second,
// default 100) set the run; docs/RELIABILITY.md records the 60 s run.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/str_format.h"
#include "common/testing/batch_client.h"
#include "common/testing/server_bin.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "integration-tests/idempotency/crime_recording_met.h"
#include "integration-tests/idempotency/soc_disruptions_met.h"
#include "integration-tests/idempotency/victim_service_met.h"
#include "integration-tests/idempotency/workforce_met.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"

namespace peel::reliability {
namespace {

namespace gw = ::peel::gateway::v1;
using Clock = std::chrono::steady_clock;
using peel::testing::ServerProcess;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  const int n = v ? std::atoi(v) : 0;
  return n > 0 ? n : fallback;
}

// Resident set size of a process in KiB, from /proc (0 if unknown).
int64_t RssKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      int64_t kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

// Starts a server, runs its driver's set-up and sends its fixture streams.
template <typename Driver>
struct Backend {
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<typename Driver::Stub> stub;
  Driver driver;

  absl::Status Start(const std::string& bin, const std::string& service,
                     const peel::testing::TempDir& dir,
                     const std::string& name) {
    std::filesystem::create_directories(dir.Sub(name));
    auto s = ServerProcess::Start(
        {bin, service, dir.Sub(name + "-data"), dir.Sub(name), {}});
    if (!s.ok()) return s.status();
    server = std::move(*s);
    stub = Driver::NewStub(grpc::CreateChannel(
        server->address(), grpc::InsecureChannelCredentials()));
    if (absl::Status st = driver.Prepare(*stub); !st.ok()) return st;
    for (const auto& stream : driver.Streams()) {
      std::vector<size_t> order(stream.batches);
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      if (absl::Status st = stream.send(*stub, order); !st.ok()) return st;
    }
    return absl::OkStatus();
  }
};

struct Sample {
  int kind;
  double ms;
  bool ok;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t k = static_cast<size_t>(std::ceil(q * v.size()));
  return v[std::min(v.size() - 1, k == 0 ? 0 : k - 1)];
}

grpc::Status Ok(const absl::Status& s) {
  return s.ok() ? grpc::Status::OK
                : grpc::Status(grpc::StatusCode::INTERNAL,
                               std::string(s.message()));
}

// Sends one batch on its own stream; any rejected record is an error.
template <typename Batch, typename Open>
grpc::Status SendOne(Open open, const Batch& b) {
  auto acks =
      peel::testing::SendBatches<Batch>(open, {b}, std::chrono::seconds(5));
  if (!acks.ok()) return Ok(acks.status());
  if (acks->size() != 1 || (*acks)[0].rejected() != 0) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "batch not accepted");
  }
  return grpc::Status::OK;
}

TEST(Load, GatewayAndEveryServiceAtAFixedRate) {
  const int seconds = EnvInt("PEEL_LOAD_SECONDS", 10);
  const int rate = EnvInt("PEEL_LOAD_RATE", 100);
  using peel::testing::ServerBin;
  const std::string policy =
      ServerBin("PEEL_GATEWAY_POLICY", PEEL_GATEWAY_POLICY_PATH);
  peel::testing::TempDir dir("load");

  Backend<CrimeRecordingMetDriver> cr;
  Backend<VictimServiceMetDriver> vs;
  Backend<WorkforceMetDriver> wf;
  Backend<SocDisruptionsMetDriver> soc;
  absl::Status started = cr.Start(
      ServerBin("PEEL_CRIME_RECORDING_BIN", PEEL_CRIME_RECORDING_BIN_PATH),
      "peel.crimerecording.v1.CrimeRecordingService", dir, "cr");
  ASSERT_TRUE(started.ok()) << started;
  started = vs.Start(
      ServerBin("PEEL_VICTIM_SERVICE_BIN", PEEL_VICTIM_SERVICE_BIN_PATH),
      "peel.victimservice.v1.VictimService", dir, "vs");
  ASSERT_TRUE(started.ok()) << started;
  started = wf.Start(ServerBin("PEEL_WORKFORCE_BIN", PEEL_WORKFORCE_BIN_PATH),
                     "peel.workforce.v1.WorkforceService", dir, "wf");
  ASSERT_TRUE(started.ok()) << started;
  started = soc.Start(
      ServerBin("PEEL_SOC_DISRUPTIONS_BIN", PEEL_SOC_DISRUPTIONS_BIN_PATH),
      "peel.soc.v1.SocDisruptionService", dir, "soc");
  ASSERT_TRUE(started.ok()) << started;
  std::filesystem::create_directories(dir.Sub("gw"));
  auto gateway = ServerProcess::Start(
      {ServerBin("PEEL_GATEWAY_BIN", PEEL_GATEWAY_BIN_PATH),
       "peel.gateway.v1.AssessmentGateway",
       dir.Sub("gw-data"),
       dir.Sub("gw"),
       {"--crime_recording_addr=" + cr.server->address(),
        "--victim_service_addr=" + vs.server->address(),
        "--workforce_addr=" + wf.server->address(),
        "--soc_disruptions_addr=" + soc.server->address(),
        "--policy=" + policy}});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  auto gw_stub = gw::AssessmentGateway::NewStub(grpc::CreateChannel(
      (*gateway)->address(), grpc::InsecureChannelCredentials()));

  const std::vector<std::pair<std::string, ServerProcess*>> servers = {
      {"crime-recording", cr.server.get()},
      {"victim-service", vs.server.get()},
      {"workforce", wf.server.get()},
      {"soc-disruptions", soc.server.get()},
      {"gateway", gateway->get()}};

  // The call mix, by k % 10: assessments, each service's figures, writes.
  enum Kind { kAssess, kCrime, kCalls, kProfile, kSoc, kWrite, kKinds };
  const char* kKindNames[] = {"gateway GetForceAssessment",
                              "crime-recording GetRecordingEstimate",
                              "victim-service GetCallHandlingSummary",
                              "workforce GetWorkforceProfile",
                              "soc-disruptions GetDisruptionSummary",
                              "ingest (one batch of 5 on a new stream)"};
  const int kMix[10] = {kAssess,  kAssess, kAssess, kCrime,  kCalls,
                        kProfile, kSoc,    kWrite,  kAssess, kWrite};
  auto deadline = [](grpc::ClientContext* c) {
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  };
  // Call k; `bad` explains a failure.
  auto call = [&](int k, std::string* bad) -> bool {
    grpc::Status s;
    grpc::ClientContext ctx;
    deadline(&ctx);
    switch (kMix[k % 10]) {
      case kAssess: {
        gw::GetForceAssessmentRequest req;
        req.set_force("metropolitan");
        req.mutable_period()->set_start_date("2021-04-01");
        req.mutable_period()->set_end_date("2022-06-30");
        gw::ForceAssessment a;
        s = gw_stub->GetForceAssessment(&ctx, req, &a);
        if (s.ok()) {
          for (const auto& area : a.areas()) {
            if (!area.available()) {
              *bad = "area unavailable: " + area.ShortDebugString();
              return false;
            }
          }
        }
        break;
      }
      case kCrime: {
        crv1::GetRecordingEstimateRequest req;
        req.set_audit_id(cr_met::MetAudit().audit_id());
        crv1::RecordingEstimate e;
        s = cr.stub->GetRecordingEstimate(&ctx, req, &e);
        break;
      }
      case kCalls: {
        vsv1::GetCallHandlingSummaryRequest req;
        req.set_force("metropolitan");
        req.mutable_period()->set_start_date("2021-10-01");
        req.mutable_period()->set_end_date("2021-12-31");
        vsv1::CallHandlingSummary r;
        s = vs.stub->GetCallHandlingSummary(&ctx, req, &r);
        break;
      }
      case kProfile: {
        wfv1::GetWorkforceProfileRequest req;
        req.set_force("metropolitan");
        req.set_as_of("2022-03-31");
        wfv1::WorkforceProfile r;
        s = wf.stub->GetWorkforceProfile(&ctx, req, &r);
        break;
      }
      case kSoc: {
        socv1::GetDisruptionSummaryRequest req;
        req.set_force("metropolitan");
        req.mutable_period()->set_start_date("2021-07-01");
        req.mutable_period()->set_end_date("2022-06-30");
        socv1::DisruptionSummary r;
        s = soc.stub->GetDisruptionSummary(&ctx, req, &r);
        break;
      }
      case kWrite: {
        // New records, each id used once, into a force the fixtures do not
        // use (the assessed figures stay as loaded).
        const int w = k / 10 * 2 + (k % 10 == 9);
        switch (w % 3) {
          case 0: {
            vsv1::CallRecordBatch b;
            for (int i = 0; i < 5; ++i) {
              auto* c = b.add_calls();
              c->set_call_id(absl::StrFormat("load-%d-%d", k, i));
              c->set_force("kent");
              c->set_channel(vsv1::EMERGENCY_999);
              c->mutable_offered_at()->set_seconds(1633046400 + k);
              c->mutable_answered()->set_answer_ms(1000 * i + k % 1000);
            }
            s = SendOne(
                [&](grpc::ClientContext* c) {
                  return vs.stub->IngestCallRecords(c);
                },
                b);
            break;
          }
          case 1: {
            wfv1::PersonRecordBatch b;
            for (int i = 0; i < 5; ++i) {
              auto* r = b.add_records();
              r->set_force("kent");
              r->set_person_id(absl::StrFormat("10ad%012x%04x", k, i));
              r->set_worker_type(wfv1::POLICE_STAFF);
              r->set_rank(wfv1::NO_RANK);
              r->set_sex(wfv1::FEMALE);
              r->set_ethnic_group(wfv1::WHITE);
              r->set_fte(1);
              r->set_date_joined("2020-01-01");
            }
            s = SendOne(
                [&](grpc::ClientContext* c) {
                  return wf.stub->IngestPersonRecords(c);
                },
                b);
            break;
          }
          default: {
            socv1::DisruptionBatch b;
            for (int i = 0; i < 5; ++i) {
              auto* d = b.add_disruptions();
              d->set_disruption_id(absl::StrFormat("load-%d-%d", k, i));
              d->set_force("kent");
              d->set_date("2022-01-15");
              d->set_pillar(socv1::PURSUE);
              d->set_magnitude(socv1::MODERATE);
              d->set_tactic(socv1::ARREST);
              d->set_arrests(1);
            }
            s = SendOne(
                [&](grpc::ClientContext* c) {
                  return soc.stub->IngestDisruptions(c);
                },
                b);
            break;
          }
        }
        break;
      }
    }
    if (!s.ok())
      *bad = absl::StrFormat("%d: %s", s.error_code(), s.error_message());
    return s.ok();
  };

  // Warm-up (not measured): one second of the mix, serially.
  std::string why;
  for (int k = 0; k < 20; ++k) ASSERT_TRUE(call(1000000 + k, &why)) << why;

  std::map<std::string, int64_t> rss_start, rss_peak, rss_end;
  for (const auto& [name, p] : servers) rss_start[name] = RssKib(p->pid());

  const int total = seconds * rate;
  std::vector<Sample> samples(total);
  std::atomic<int> next{0};
  std::mutex errors_mu;
  std::vector<std::string> errors;
  const auto t0 = Clock::now() + std::chrono::milliseconds(50);
  auto worker = [&] {
    while (true) {
      const int k = next.fetch_add(1);
      if (k >= total) return;
      const auto due =
          t0 + std::chrono::microseconds(int64_t{k} * 1000000 / rate);
      std::this_thread::sleep_until(due);
      std::string bad;
      const bool ok = call(k, &bad);
      samples[k] = {
          kMix[k % 10],
          std::chrono::duration<double, std::milli>(Clock::now() - due).count(),
          ok};
      if (!ok) {
        std::lock_guard<std::mutex> l(errors_mu);
        if (errors.size() < 10) errors.push_back(bad);
      }
    }
  };
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done.load()) {
      for (const auto& [name, p] : servers) {
        rss_peak[name] = std::max(rss_peak[name], RssKib(p->pid()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  });
  std::vector<std::thread> workers;
  for (int i = 0; i < 16; ++i) workers.emplace_back(worker);
  for (auto& t : workers) t.join();
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - t0).count();
  done = true;
  sampler.join();
  for (const auto& [name, p] : servers) rss_end[name] = RssKib(p->pid());

  int failed = 0;
  std::vector<double> all;
  std::vector<double> by_kind[kKinds];
  for (const auto& s : samples) {
    failed += !s.ok;
    all.push_back(s.ms);
    by_kind[s.kind].push_back(s.ms);
  }
  std::cout << absl::StrFormat(
      "load: %d calls at %d/s over %.1f s (%d s scheduled), %d errors; "
      "latency from the scheduled time: p50 %.2f ms, p99 %.2f ms, max "
      "%.2f ms\n",
      total, rate, elapsed, seconds, failed, Percentile(all, 0.5),
      Percentile(all, 0.99), Percentile(all, 1.0));
  for (int k = 0; k < kKinds; ++k) {
    std::cout << absl::StrFormat(
        "  %-42s %6zu calls  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n",
        kKindNames[k], by_kind[k].size(), Percentile(by_kind[k], 0.5),
        Percentile(by_kind[k], 0.99), Percentile(by_kind[k], 1.0));
  }
  for (const auto& [name, p] : servers) {
    std::cout << absl::StrFormat(
        "  RSS %-16s start %7.1f MiB  peak %7.1f MiB  end %7.1f MiB\n", name,
        rss_start[name] / 1024.0, rss_peak[name] / 1024.0,
        rss_end[name] / 1024.0);
  }

  EXPECT_EQ(failed, 0);
  for (const auto& e : errors) ADD_FAILURE() << e;
  // Every call ran, and the run kept to its schedule (within a second).
  EXPECT_LT(elapsed, seconds + 1.0);
  EXPECT_LT(Percentile(all, 0.99), 1000.0);
  // Memory: a bounded cache and memtables, not growth with the calls. The
  // writes add under 1 MiB of records; allow 64 MiB per server over its
  // warmed-up start.
  for (const auto& [name, p] : servers) {
    EXPECT_GT(rss_start[name], 0) << name;
    EXPECT_LT(rss_end[name] - rss_start[name], 64 * 1024) << name;
  }
}

}  // namespace
}  // namespace peel::reliability
