// Benchmark of the crime-recording service through gRPC against a real
// server process: ingest throughput for audited incidents and incident-log
// records, and the latency of the estimate and the national view at two
// store sizes (they read maintained aggregates, so it should not grow).
//
//   crime_recording_bench --records=1000000 --small=10000
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"

ABSL_FLAG(std::string, binary, "", "path to the crime-recording binary");
ABSL_FLAG(int64_t, records, 1000000, "records to ingest (large size)");
ABSL_FLAG(int64_t, small, 10000, "the small store size for latency");
ABSL_FLAG(int, batch, 1000, "records per batch");
ABSL_FLAG(int, calls, 300, "calls per latency measurement");

namespace {

namespace v1 = ::peel::crimerecording::v1;
using Clock = std::chrono::steady_clock;

v1::Audit BenchAudit() {
  v1::Audit a;
  a.set_audit_id("bench-audit");
  a.set_force("metropolitan");
  a.mutable_period()->set_start_date("2021-07-01");
  a.mutable_period()->set_end_date("2021-12-31");
  a.set_recorded_crime_base(763400);
  a.set_recorded_crime_base_source("benchmark");
  for (auto [s, w] : {std::pair{v1::VIOLENCE, 0.4},
                      {v1::SEXUAL_OFFENCES, 0.1},
                      {v1::OTHER, 0.5}}) {
    auto* sw = a.add_strata();
    sw->set_stratum(s);
    sw->set_weight(w);
  }
  return a;
}

// Streams batches made by `make(first, count)`, writing from one thread and
// reading acks on this one, so the pipe stays full. Returns seconds.
template <typename Batch, typename Open, typename Make>
double Stream(Open open, Make make, int64_t from, int64_t to, int batch) {
  grpc::ClientContext ctx;
  auto stream = open(&ctx);
  const auto start = Clock::now();
  std::thread writer([&] {
    uint64_t seq = 0;
    for (int64_t i = from; i < to; i += batch) {
      Batch b = make(i, std::min<int64_t>(batch, to - i));
      b.set_sequence(++seq);
      if (!stream->Write(b)) break;
    }
    stream->WritesDone();
  });
  peel::common::v1::BatchAck ack;
  int64_t accepted = 0;
  while (stream->Read(&ack)) accepted += ack.accepted();
  writer.join();
  grpc::Status s = stream->Finish();
  const double secs =
      std::chrono::duration<double>(Clock::now() - start).count();
  if (!s.ok() || accepted != to - from) {
    std::cerr << "stream failed: " << s.error_message() << " accepted "
              << accepted << " of " << to - from << "\n";
    std::exit(1);
  }
  return secs;
}

struct Latency {
  double p50_us, p99_us;
};

template <typename Call>
Latency Measure(int calls, Call call) {
  std::vector<double> us;
  for (int i = 0; i < calls; ++i) {
    const auto t0 = Clock::now();
    call();
    us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string binary = absl::GetFlag(FLAGS_binary);
  if (binary.empty()) {
    const char* env = std::getenv("PEEL_CRIME_RECORDING_BIN");
    binary = env ? env : "";
  }
  const int64_t large = absl::GetFlag(FLAGS_records);
  const int64_t small = std::min(absl::GetFlag(FLAGS_small), large);
  const int batch = absl::GetFlag(FLAGS_batch);

  peel::testing::TempDir dir("crime-recording-bench");
  auto server = peel::testing::ServerProcess::Start(
      {binary,
       "peel.crimerecording.v1.CrimeRecordingService",
       dir.Sub("data"),
       dir.path(),
       {}});
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  auto stub = v1::CrimeRecordingService::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));
  {
    v1::CreateAuditRequest req;
    *req.mutable_audit() = BenchAudit();
    v1::Audit resp;
    grpc::ClientContext ctx;
    if (!stub->CreateAudit(&ctx, req, &resp).ok()) return 1;
  }

  auto make_incidents = [](int64_t first, int64_t n) {
    v1::AuditedIncidentBatch b;
    b.set_audit_id("bench-audit");
    for (int64_t i = first; i < first + n; ++i) {
      auto* inc = b.add_incidents();
      inc->set_incident_id(absl::StrFormat("inc-%010d", i));
      inc->set_stratum(static_cast<v1::CrimeStratum>(1 + i % 3));
      auto* c = inc->add_crimes();
      c->set_recorded(i % 11 != 0);
      c->set_correctly_classified(i % 11 != 0);
      c->set_recorded_within_24h(i % 11 != 0 && i % 4 != 0);
      c->set_domestic_abuse(i % 5 == 0);
    }
    return b;
  };
  auto open_incidents = [&](grpc::ClientContext* ctx) {
    return stub->IngestAuditedIncidents(ctx);
  };
  auto estimate = [&] {
    v1::GetRecordingEstimateRequest req;
    req.set_audit_id("bench-audit");
    v1::RecordingEstimate resp;
    grpc::ClientContext ctx;
    if (!stub->GetRecordingEstimate(&ctx, req, &resp).ok()) std::exit(1);
  };
  auto national = [&] {
    v1::GetNationalRecordingRatesRequest req;
    req.mutable_period()->set_start_date("2021-01-01");
    req.mutable_period()->set_end_date("2021-12-31");
    v1::NationalRecordingRates resp;
    grpc::ClientContext ctx;
    if (!stub->GetNationalRecordingRates(&ctx, req, &resp).ok()) std::exit(1);
  };

  const int calls = absl::GetFlag(FLAGS_calls);
  double t_small = Stream<v1::AuditedIncidentBatch>(
      open_incidents, make_incidents, 0, small, batch);
  Latency est_small = Measure(calls, estimate);
  Latency nat_small = Measure(calls, national);
  double t_large = Stream<v1::AuditedIncidentBatch>(
      open_incidents, make_incidents, small, large, batch);
  Latency est_large = Measure(calls, estimate);
  Latency nat_large = Measure(calls, national);

  auto make_log = [](int64_t first, int64_t n) {
    v1::IncidentLogBatch b;
    b.set_force("metropolitan");
    for (int64_t i = first; i < first + n; ++i) {
      auto* e = b.add_entries();
      e->set_incident_id(absl::StrFormat("log-%010d", i));
      e->mutable_opened_at()->set_seconds(1625097600 + i % 15000000);
      e->set_closing_category("crime");
      e->set_stratum(static_cast<v1::CrimeStratum>(1 + i % 3));
    }
    return b;
  };
  double t_log = Stream<v1::IncidentLogBatch>(
      [&](grpc::ClientContext* ctx) { return stub->IngestIncidentLog(ctx); },
      make_log, 0, large, batch);

  std::cout << absl::StrFormat(
      "| crime-recording ingest, audited incidents (%d records, batches of "
      "%d, 1 stream) | %.0f records/s |\n",
      large - small, batch, (large - small) / t_large);
  std::cout << absl::StrFormat(
      "| crime-recording ingest, incident log (%d records, batches of %d, 1 "
      "stream) | %.0f records/s |\n",
      large, batch, large / t_log);
  std::cout << absl::StrFormat(
      "| GetRecordingEstimate at %d / %d incidents, p50 | %.0f us / %.0f us "
      "(ratio %.2f) |\n",
      small, large, est_small.p50_us, est_large.p50_us,
      est_large.p50_us / est_small.p50_us);
  std::cout << absl::StrFormat(
      "| GetRecordingEstimate at %d / %d incidents, p99 | %.0f us / %.0f us "
      "|\n",
      small, large, est_small.p99_us, est_large.p99_us);
  std::cout << absl::StrFormat(
      "| GetNationalRecordingRates at %d / %d incidents, p50 | %.0f us / %.0f "
      "us (ratio %.2f) |\n",
      small, large, nat_small.p50_us, nat_large.p50_us,
      nat_large.p50_us / nat_small.p50_us);
  (void)t_small;
  (*server)->Terminate();
  return 0;
}
