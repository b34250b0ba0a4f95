// The benchmark suite's measuring program (tools/bench/run-all drives it
// and turns its RESULT lines into docs/PERFORMANCE.md).
//
//   suite_bench --service=victim-service --binary=PATH/victim-service
//       [--ingest_records=1000000] [--sizes=10000,1000000,10000000]
//       [--runs=3] [--calls=300] [--pg]
//   suite_bench --service=grpc-noop      (the RPC-layer ceiling)
//
// For a store service, in this order, each figure sampled --runs times:
//  1. raw RocksDB: the service's records (its record key, the record's
//     serialized protobuf as value) written in WriteBatches of --batch
//     through common/store with the services' options, in process;
//  2. ingest: --ingest_records through the batched gRPC stream into a fresh
//     server, with 1 and with 2 concurrent streams (batches built before the
//     clock starts);
//  3. growth: one server grown to each of --sizes (2 streams, batches built
//     on the fly: the load is not the timed part), then the summary call's
//     p50/p99 over --calls sequential gRPC calls; the server's resident
//     memory at the largest size;
//  4. with --pg, PostgreSQL 15 (a throwaway cluster, see pg.h): COPY of the
//     same --ingest_records records (CSV built before the clock starts) into
//     a table with the natural primary key, then the same growth with the
//     summary as SQL (each sample the median of 3 executions, or one
//     execution when it takes over a second).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/store/store.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "peel/common/v1/common.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "rocksdb/write_batch.h"
#include "tools/bench/harness.h"
#include "tools/bench/noop_server.h"
#include "tools/bench/pg.h"
#include "tools/bench/workload.h"

ABSL_FLAG(std::string, service, "", "workload: a store service or grpc-noop");
ABSL_FLAG(std::string, binary, "", "path to the service's binary");
ABSL_FLAG(int64_t, ingest_records, 1000000, "records per ingest sample");
ABSL_FLAG(std::string, sizes, "10000,1000000,10000000",
          "store sizes at which summaries are timed");
ABSL_FLAG(int, runs, 3, "samples of each figure");
ABSL_FLAG(int, calls, 300, "gRPC calls per latency sample");
ABSL_FLAG(int, batch, 1000, "records per batch");
ABSL_FLAG(int, settle_ms, 1000,
          "pause after growing the store before timing summaries");
ABSL_FLAG(bool, pg, false, "also run the PostgreSQL comparison");
ABSL_FLAG(bool, raw, true, "also run the raw RocksDB WriteBatch ceiling");
ABSL_FLAG(int, max_load_seconds, 0,
          "skip a store size whose load, at the measured 2-stream ingest "
          "rate, would take longer than this (0: never skip)");

namespace peel::bench {
namespace {

std::unique_ptr<Workload> MakeWorkload(const std::string& name) {
  if (name == "crime-recording") return MakeCrimeRecordingWorkload();
  if (name == "victim-service") return MakeVictimServiceWorkload();
  if (name == "workforce") return MakeWorkforceWorkload();
  if (name == "soc-disruptions") return MakeSocDisruptionsWorkload();
  return nullptr;
}

std::vector<int64_t> Sizes() {
  std::vector<int64_t> out;
  for (absl::string_view s :
       absl::StrSplit(absl::GetFlag(FLAGS_sizes), ',', absl::SkipEmpty())) {
    int64_t v;
    if (!absl::SimpleAtoi(s, &v)) Fail(absl::StrCat("bad --sizes: ", s));
    out.push_back(v);
  }
  return out;
}

void RawWriteBatch(const Workload& w, int64_t n, int batch) {
  peel::testing::TempDir dir("bench-raw");
  peel::store::StoreOptions opts;
  opts.path = dir.Sub("db");
  opts.column_families = {"records"};
  auto store = peel::store::Store::Open(opts);
  if (!store.ok()) Fail(store.status().ToString());
  // Keys and values made in advance: the figure is RocksDB's alone.
  std::vector<rocksdb::WriteBatch> batches;
  std::string key, value;
  for (int64_t i = 0; i < n; i += batch) {
    batches.emplace_back();
    for (int64_t j = i; j < std::min(n, i + batch); ++j) {
      w.KeyValue(j, &key, &value);
      batches.back().Put((*store)->Handle(0), key, value);
    }
  }
  const auto t0 = Clock::now();
  for (auto& b : batches) {
    absl::Status s = (*store)->Write(&b);
    if (!s.ok()) Fail(s.ToString());
  }
  Result(w.name(), "raw_writebatch_rps", n / SecondsSince(t0));
  w.KeyValue(0, &key, &value);
  Result(w.name(), "raw_value_bytes", static_cast<double>(value.size()));
}

std::unique_ptr<peel::testing::ServerProcess> StartServer(
    const Workload& w, const std::string& binary,
    const peel::testing::TempDir& dir, const std::string& sub) {
  std::filesystem::create_directories(dir.Sub(sub));
  peel::testing::ServerProcessOptions o;
  o.binary = binary;
  o.service_name = w.health_name();
  o.data_dir = dir.Sub(sub + "-data");
  o.work_dir = dir.Sub(sub);
  // The benchmark has finished its calls when it stops a server.
  o.extra_args = {"--drain_seconds=0"};
  auto server = peel::testing::ServerProcess::Start(o);
  if (!server.ok()) Fail(server.status().ToString());
  TrackServer((*server)->pid());
  return std::move(*server);
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

// Returns the median 2-stream rate (records/s).
double IngestSamples(Workload* w, const std::string& binary, int64_t n,
                     int batch, int runs) {
  std::vector<double> two;
  for (int r = 0; r < runs; ++r) {
    for (int streams : {1, 2}) {
      peel::testing::TempDir dir("bench-ingest");
      auto server = StartServer(*w, binary, dir, "s");
      w->Connect(Channel(server->address()));
      w->Setup();
      const double secs = w->Ingest(0, n, streams, batch, true);
      Result(w->name(), absl::StrCat("ingest_s", streams, "_rps"), n / secs);
      if (streams == 2) two.push_back(n / secs);
      UntrackServer(server->pid());
      server->Terminate();
    }
  }
  return Median(two);
}

// Returns the sizes measured: those whose load fits --max_load_seconds at
// `rate` records/s.
std::vector<int64_t> Growth(Workload* w, const std::string& binary,
                            const std::vector<int64_t>& sizes, int batch,
                            int runs, int calls, double rate) {
  std::vector<int64_t> done;
  peel::testing::TempDir dir("bench-growth");
  auto server = StartServer(*w, binary, dir, "g");
  w->Connect(Channel(server->address()));
  w->Setup();
  auto summaries = w->Summaries();
  for (size_t k = 0; k < summaries.size(); ++k) {
    std::cout << "INFO " << w->name() << " sum" << k << " " << summaries[k].name
              << "\n";
  }
  int64_t loaded = 0;
  const int budget = absl::GetFlag(FLAGS_max_load_seconds);
  for (int64_t size : sizes) {
    if (budget > 0 && rate > 0 && (size - loaded) / rate > budget) {
      std::cout << "INFO " << w->name() << " skipped@" << size << " "
                << absl::StrFormat("%.0f", (size - loaded) / rate) << "\n";
      break;
    }
    done.push_back(size);
    if (size > loaded) {
      const double secs = w->Ingest(loaded, size, 2, batch, false);
      Result(w->name(), absl::StrCat("load_rps@", size),
             (size - loaded) / secs);
      loaded = size;
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(absl::GetFlag(FLAGS_settle_ms)));
    for (size_t k = 0; k < summaries.size(); ++k) {
      summaries[k].call();  // warm
      for (int r = 0; r < runs; ++r) {
        Latency l = Measure(calls, summaries[k].call);
        Result(w->name(), absl::StrCat("sum", k, "_p50_us@", size), l.p50_us);
        Result(w->name(), absl::StrCat("sum", k, "_p99_us@", size), l.p99_us);
      }
    }
    Result(w->name(), absl::StrCat("rss_mib@", size),
           ResidentMib(server->pid()));
  }
  Result(w->name(), "peak_rss_mib", ResidentMib(server->pid(), "VmHWM"));
  UntrackServer(server->pid());
  server->Terminate();
  return done;
}

void Postgres(Workload& w, int64_t n, const std::vector<int64_t>& sizes,
              int runs) {
  auto cluster = PgCluster::Start();
  if (!cluster.ok()) Fail(cluster.status().ToString());
  auto conn = PgConn::Connect((*cluster)->conninfo());
  if (!conn.ok()) Fail(conn.status().ToString());
  PgConn& pg = **conn;
  pg.Exec(w.PgSchema());
  const std::string copy = "COPY " + w.PgTable() + " FROM STDIN (FORMAT csv)";
  {
    std::vector<std::string> chunks;
    constexpr int64_t kChunk = 10000;
    for (int64_t i = 0; i < n; i += kChunk) {
      chunks.emplace_back();
      w.PgRows(i, std::min(kChunk, n - i), &chunks.back());
    }
    for (int r = 0; r < runs; ++r) {
      pg.Exec("TRUNCATE " + w.PgTable());
      const auto t0 = Clock::now();
      pg.CopyChunks(copy, chunks);
      Result(w.name(), "pg_copy_rps", n / SecondsSince(t0));
    }
  }
  pg.Exec("TRUNCATE " + w.PgTable());
  // The summaries' SQL only; the service objects are not connected.
  auto summaries = w.Summaries();
  int64_t loaded = 0;
  for (int64_t size : sizes) {
    if (size > loaded) {
      const auto t0 = Clock::now();
      pg.Copy(copy, loaded, size,
              [&w](int64_t first, int64_t count, std::string* out) {
                w.PgRows(first, count, out);
              });
      Result(w.name(), absl::StrCat("pg_load_rps@", size),
             (size - loaded) / SecondsSince(t0));
      loaded = size;
      pg.Exec("VACUUM ANALYZE");
    }
    for (size_t k = 0; k < summaries.size(); ++k) {
      // Warm the cache; queries over a second are sampled once per run
      // (their run-to-run spread is small next to their length).
      const int reps = pg.TimeQuery(summaries[k].sql) < 1.0 ? 3 : 1;
      for (int r = 0; r < runs; ++r) {
        std::vector<double> t;
        for (int i = 0; i < reps; ++i) {
          t.push_back(pg.TimeQuery(summaries[k].sql));
        }
        Result(w.name(), absl::StrCat("pg_sum", k, "_us@", size),
               Median(t) * 1e6);
      }
    }
  }
}

void GrpcNoop(int64_t n, int batch, int runs, int calls) {
  NoopServer server;
  auto channel = Channel(server.address());
  auto w = MakeVictimServiceWorkload();
  w->Connect(channel);
  auto stub = ::peel::victimservice::v1::VictimService::NewStub(channel);
  for (int r = 0; r < runs; ++r) {
    for (int streams : {1, 2}) {
      const double secs = w->Ingest(0, n, streams, batch, true);
      Result("grpc-noop", absl::StrCat("stream_s", streams, "_rps"), n / secs);
    }
    Latency l = Measure(calls, [&] {
      ::peel::common::v1::DataVersionRequest req;
      ::peel::common::v1::DataVersion resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(10));
      if (!stub->GetDataVersion(&ctx, req, &resp).ok()) Fail("no-op unary");
    });
    Result("grpc-noop", "unary_p50_us", l.p50_us);
    Result("grpc-noop", "unary_p99_us", l.p99_us);
    Result("grpc-noop", "unary_calls_per_s", l.calls_per_s);
  }
}

}  // namespace
}  // namespace peel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  using namespace peel::bench;  // NOLINT: main only
  const std::string service = absl::GetFlag(FLAGS_service);
  const int64_t n = absl::GetFlag(FLAGS_ingest_records);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int runs = absl::GetFlag(FLAGS_runs);
  const int calls = absl::GetFlag(FLAGS_calls);
  if (service == "grpc-noop") {
    GrpcNoop(n, batch, runs, calls);
    return 0;
  }
  auto w = MakeWorkload(service);
  if (w == nullptr) Fail("unknown --service: " + service);
  const std::string binary = absl::GetFlag(FLAGS_binary);
  if (binary.empty()) Fail("--binary is required");
  std::cout << "INFO " << w->name() << " records " << w->record_kind() << "\n";
  if (absl::GetFlag(FLAGS_raw)) {
    for (int r = 0; r < runs; ++r) RawWriteBatch(*w, n, batch);
  }
  const double rate = IngestSamples(w.get(), binary, n, batch, runs);
  const std::vector<int64_t> sizes =
      Growth(w.get(), binary, Sizes(), batch, runs, calls, rate);
  if (absl::GetFlag(FLAGS_pg)) Postgres(*w, n, sizes, runs);
  return 0;
}
