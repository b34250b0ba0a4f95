// Benchmark of the victim-service through gRPC against a real server
// process: call-record ingest throughput, and the latency of the call
// handling summary for a force-year and of the national view at two store
// sizes (they read maintained tallies, so latency should not grow), plus the
// server's resident memory.
//
//   victim_service_bench --binary=PATH/victim-service --records=1000000
//       --small=10000 --batch=1000 --streams=2   (one command line)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"

ABSL_FLAG(std::string, binary, "", "path to the victim-service binary");
ABSL_FLAG(int64_t, records, 1000000, "call records to ingest (large size)");
ABSL_FLAG(int64_t, small, 10000, "the small store size for latency");
ABSL_FLAG(int, batch, 1000, "records per batch");
ABSL_FLAG(int, streams, 2, "concurrent ingest streams");
ABSL_FLAG(int, calls, 300, "calls per latency measurement");
ABSL_FLAG(bool, pregenerate, true,
          "build every batch before timing, so the client spends its CPU on "
          "gRPC rather than on making records (needs ~250 B of client memory "
          "per record)");
ABSL_FLAG(int, settle_seconds, 0,
          "wait after each ingest phase before measuring latency (lets "
          "RocksDB finish flushing); 0 measures at once");

namespace {

namespace v1 = ::peel::victimservice::v1;
using Clock = std::chrono::steady_clock;

constexpr int64_t k2021 = 1609459200;  // 2021-01-01 00:00 UTC

std::vector<std::string> BenchForces() {
  std::vector<std::string> out = {"metropolitan"};
  for (const auto& f : peel::reference::AllForces()) {
    if (f.in_peel_scope && f.slug != "metropolitan" && out.size() < 10) {
      out.emplace_back(f.slug);
    }
  }
  return out;
}

// Record i of a phase [phase_start, phase_start + phase_size): one of ten
// forces (the Met half of all calls), 60% 999 calls, about 1 in 8 abandoned,
// offered in time order spread over 2021, so that every phase fills every
// month's tallies and the latency comparison is like for like.
struct Phase {
  int64_t start, size;
};
v1::CallRecordBatch MakeBatch(const std::vector<std::string>& forces,
                              Phase phase, int64_t first, int64_t n) {
  v1::CallRecordBatch b;
  for (int64_t i = first; i < first + n; ++i) {
    auto* c = b.add_calls();
    c->set_call_id(absl::StrFormat("c%010d", i));
    c->set_force(i % 2 == 0 ? forces[0] : forces[1 + (i / 2) % 9]);
    c->set_channel(i % 5 < 3 ? v1::EMERGENCY_999 : v1::NON_EMERGENCY_101);
    c->mutable_offered_at()->set_seconds(k2021 + (i - phase.start) *
                                                     (31536000 / phase.size));
    const uint64_t h = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ULL;
    if (h % 8 == 0) {
      c->mutable_abandoned()->set_waited_ms(static_cast<int64_t>(h % 300000));
    } else {
      c->mutable_answered()->set_answer_ms(static_cast<int64_t>(
          (h >> 8) % 4 == 0 ? (h >> 16) % 900000 : (h >> 16) % 12000));
    }
  }
  return b;
}

double ClientCpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double last_client_cpu = 0;  // of the latest Ingest's timed window

// Streams records [from, to) over `streams` concurrent bidi streams, each
// with its own writer thread, reading acks on another. Returns seconds.
double Ingest(v1::VictimService::Stub* stub,
              const std::vector<std::string>& forces, int64_t from, int64_t to,
              int batch, int streams) {
  const int64_t per = (to - from + streams - 1) / streams;
  const bool pregenerate = absl::GetFlag(FLAGS_pregenerate);
  std::vector<std::vector<v1::CallRecordBatch>> ready(streams);
  auto make = [&](int64_t i, int64_t hi) {
    return MakeBatch(forces, {from, to - from}, i,
                     std::min<int64_t>(batch, hi - i));
  };
  if (pregenerate) {
    for (int s = 0; s < streams; ++s) {
      const int64_t lo = from + s * per, hi = std::min(to, lo + per);
      for (int64_t i = lo; i < hi; i += batch) ready[s].push_back(make(i, hi));
    }
  }
  const auto start = Clock::now();
  const double client_cpu0 = ClientCpuSeconds();
  std::vector<std::thread> threads;
  std::vector<int64_t> accepted(streams, 0);
  std::vector<grpc::Status> status(streams);
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      const int64_t lo = from + s * per, hi = std::min(to, lo + per);
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::hours(1));
      auto stream = stub->IngestCallRecords(&ctx);
      std::thread writer([&] {
        uint64_t seq = 0;
        size_t next = 0;
        for (int64_t i = lo; i < hi; i += batch) {
          v1::CallRecordBatch b =
              pregenerate ? std::move(ready[s][next++]) : make(i, hi);
          b.set_sequence(++seq);
          if (!stream->Write(b)) break;
        }
        stream->WritesDone();
      });
      peel::common::v1::BatchAck ack;
      while (stream->Read(&ack)) accepted[s] += ack.accepted();
      writer.join();
      status[s] = stream->Finish();
    });
  }
  for (auto& t : threads) t.join();
  const double secs =
      std::chrono::duration<double>(Clock::now() - start).count();
  last_client_cpu = ClientCpuSeconds() - client_cpu0;
  int64_t total = 0;
  for (int s = 0; s < streams; ++s) {
    total += accepted[s];
    if (!status[s].ok()) {
      std::cerr << "stream failed: " << status[s].error_message() << "\n";
      std::exit(1);
    }
  }
  if (total != to - from) {
    std::cerr << "accepted " << total << " of " << to - from << "\n";
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

// The server: the process whose command line names our data dir.
std::string ServerPid(const std::string& data_dir) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmd(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(cmd)), {});
    if (cmdline.find(data_dir) != std::string::npos &&
        cmdline.find("victim_service_bench") == std::string::npos) {
      return pid;
    }
  }
  return "";
}

// A field of /proc/PID/status in KiB: "VmRSS" (now) or "VmHWM" (peak).
int64_t ServerMemoryKib(const std::string& pid, const std::string& field) {
  std::ifstream st("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(st, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::atoll(line.c_str() + field.size() + 1);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string binary = absl::GetFlag(FLAGS_binary);
  if (binary.empty()) {
    const char* env = std::getenv("PEEL_VICTIM_SERVICE_BIN");
    binary = env ? env : "";
  }
  const int64_t large = absl::GetFlag(FLAGS_records);
  const int64_t small = std::min(absl::GetFlag(FLAGS_small), large);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int streams = std::max(1, absl::GetFlag(FLAGS_streams));
  const int calls = absl::GetFlag(FLAGS_calls);

  peel::testing::TempDir dir("victim-service-bench");
  const std::string data_dir = dir.Sub("data");
  auto server = peel::testing::ServerProcess::Start(
      {binary,
       "peel.victimservice.v1.VictimService",
       data_dir,
       dir.path(),
       {}});
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  auto stub = v1::VictimService::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));
  const auto forces = BenchForces();
  const std::string pid = ServerPid(data_dir);
  auto server_cpu_seconds = [server_pid =
                                 static_cast<pid_t>(std::atoi(pid.c_str()))] {
    return peel::testing::ProcessCpuSeconds(server_pid);
  };

  auto summary = [&] {
    v1::GetCallHandlingSummaryRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date("2021-01-01");
    req.mutable_period()->set_end_date("2021-12-31");
    v1::CallHandlingSummary resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    if (!stub->GetCallHandlingSummary(&ctx, req, &resp).ok()) std::exit(1);
    return resp;
  };
  auto national = [&] {
    v1::GetNationalCallHandlingRequest req;
    req.mutable_period()->set_start_date("2021-01-01");
    req.mutable_period()->set_end_date("2021-12-31");
    v1::NationalCallHandling resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    if (!stub->GetNationalCallHandling(&ctx, req, &resp).ok()) std::exit(1);
  };

  const auto settle = [] {
    std::this_thread::sleep_for(
        std::chrono::seconds(absl::GetFlag(FLAGS_settle_seconds)));
  };
  double cpu0 = server_cpu_seconds();
  const double t_small = Ingest(stub.get(), forces, 0, small, batch, streams);
  const double cpu_small_ingest = server_cpu_seconds() - cpu0;
  settle();
  cpu0 = server_cpu_seconds();
  Latency sum_small = Measure(calls, summary);
  const double cpu_sum_small = server_cpu_seconds() - cpu0;
  Latency nat_small = Measure(calls, national);
  cpu0 = server_cpu_seconds();
  const double t_large =
      Ingest(stub.get(), forces, small, large, batch, streams);
  const double cpu_large_ingest = server_cpu_seconds() - cpu0;
  const double client_large_ingest = last_client_cpu;
  settle();
  cpu0 = server_cpu_seconds();
  Latency sum_large = Measure(calls, summary);
  const double cpu_sum_large = server_cpu_seconds() - cpu0;
  Latency nat_large = Measure(calls, national);
  const int64_t rss_kib = ServerMemoryKib(pid, "VmRSS");
  const int64_t peak_kib = ServerMemoryKib(pid, "VmHWM");
  const auto s = summary();
  if (s.overall().emergency().answered() + s.overall().emergency().abandoned() +
          s.overall().non_emergency().offered() !=
      (large + 1) / 2) {
    std::cerr << "summary does not count every Met call\n";
    return 1;
  }

  std::cout << absl::StrFormat(
      "| victim-service ingest, call records (%d records, batches of %d, %d "
      "streams) | %.0f records/s |\n",
      large - small, batch, streams, (large - small) / t_large);
  std::cout << absl::StrFormat(
      "| victim-service ingest, server CPU per record (%d records) | %.2f us "
      "(%.0f records per server CPU-second) |\n",
      large - small, cpu_large_ingest * 1e6 / (large - small),
      (large - small) / std::max(cpu_large_ingest, 1e-9));
  std::cout << absl::StrFormat(
      "| bench client CPU per record while ingesting (same machine) | %.2f us "
      "|\n",
      client_large_ingest * 1e6 / (large - small));
  std::cout << absl::StrFormat(
      "| victim-service ingest, first %d call records | %.0f records/s, "
      "%.0f per server CPU-second |\n",
      small, small / t_small, small / std::max(cpu_small_ingest, 1e-9));
  std::cout << absl::StrFormat(
      "| GetCallHandlingSummary (force-year) at %d / %d records, p50 | %.0f "
      "us / %.0f us |\n",
      small, large, sum_small.p50_us, sum_large.p50_us);
  std::cout << absl::StrFormat(
      "| GetCallHandlingSummary (force-year) at %d / %d records, p99 | %.0f "
      "us / %.0f us |\n",
      small, large, sum_small.p99_us, sum_large.p99_us);
  std::cout << absl::StrFormat(
      "| GetCallHandlingSummary server CPU per call at %d / %d records | %.0f "
      "us / %.0f us (clock ticks of %.0f ms) |\n",
      small, large, cpu_sum_small * 1e6 / calls, cpu_sum_large * 1e6 / calls,
      1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK)));
  std::cout << absl::StrFormat(
      "| GetNationalCallHandling (44 forces, year) at %d / %d records, p50 / "
      "p99 | %.0f / %.0f us ; %.0f / %.0f us |\n",
      small, large, nat_small.p50_us, nat_small.p99_us, nat_large.p50_us,
      nat_large.p99_us);
  std::cout << absl::StrFormat(
      "| victim-service resident memory holding %d call records | %.1f MiB "
      "(peak during the run %.1f MiB) |\n",
      large, rss_kib / 1024.0, peak_kib / 1024.0);
  (*server)->Terminate();
  return 0;
}
