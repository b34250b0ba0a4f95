#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/testing/server_process.h"
#include "grpcpp/grpcpp.h"
#include "peel/common/v1/common.pb.h"

// Crash-safety driver shared by every store service's test (issue 10):
// streams numbered records into a real server binary, SIGKILLs it at random
// moments, restarts it on the same store and resumes from the first
// unacknowledged record, until every record is acknowledged. The caller then
// checks the final server's figures against its own tally of records
// [0, records).
//
// A Driver describes one ingest stream of one service:
//   using Stub = ...;   using Batch = ...;
//   static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel>);
//   // Once, on the first server (create the audit, register groups, ...).
//   absl::Status Prepare(Stub& stub);
//   // Records [first, end) as one batch; record i must depend on i only.
//   Batch MakeBatch(uint64_t sequence, int first, int end);
//   std::unique_ptr<grpc::ClientReaderWriter<Batch, BatchAck>> Open(
//       Stub& stub, grpc::ClientContext* ctx);
namespace peel::testing {

struct CrashLoopOptions {
  std::string binary;
  std::string service_name;
  std::string data_dir;  // the store, reused on every restart
  std::string work_dir;  // port file and server log
  std::vector<std::string> extra_args;
  int kills = 3;
  int batch_size = 500;
  // At least this many records; more when the kills need them (each kill
  // comes within max_batches_before_kill acknowledged batches).
  int min_records = 60000;
  int max_batches_before_kill = 20;
  int max_kill_delay_us = 3000;  // into the batch in flight
  uint32_t seed = 20221128;
};

struct CrashLoopResult {
  int records = 0;  // every record in [0, records) was acknowledged
  int kills = 0;
  int acked_batches = 0;
  int64_t duplicates = 0;  // resent records the server found already written
  // The first unacknowledged record at each kill: the records just before
  // it are the last ones acknowledged before a crash.
  std::vector<int> kill_points;
  std::unique_ptr<ServerProcess> server;  // the last server, still running
};

// The number of kills from PEEL_CRASH_KILLS (the long run), else `fallback`.
inline int CrashKillsFromEnv(int fallback = 3) {
  const char* env = std::getenv("PEEL_CRASH_KILLS");
  const int n = env ? std::atoi(env) : 0;
  return n > 0 ? n : fallback;
}

// Extra server flags for the run: --sync_wal when PEEL_CRASH_SYNC_WAL=1.
inline std::vector<std::string> CrashServerArgsFromEnv() {
  const char* env = std::getenv("PEEL_CRASH_SYNC_WAL");
  if (env != nullptr && std::string(env) == "1") return {"--sync_wal"};
  return {};
}

template <typename Driver>
absl::StatusOr<CrashLoopResult> RunCrashLoop(Driver& driver,
                                             const CrashLoopOptions& o) {
  using BatchAck = ::peel::common::v1::BatchAck;
  ServerProcessOptions start_options;
  start_options.binary = o.binary;
  start_options.service_name = o.service_name;
  start_options.data_dir = o.data_dir;
  start_options.work_dir = o.work_dir;
  start_options.extra_args = o.extra_args;
  CrashLoopResult r;
  r.records = std::max(o.min_records, (o.max_batches_before_kill * o.kills +
                                       o.max_batches_before_kill) *
                                          o.batch_size);
  auto started = ServerProcess::Start(start_options);
  if (!started.ok()) return started.status();
  r.server = std::move(*started);
  auto stub = Driver::NewStub(grpc::CreateChannel(
      r.server->address(), grpc::InsecureChannelCredentials()));
  if (absl::Status s = driver.Prepare(*stub); !s.ok()) return s;

  std::mt19937 rng(o.seed);
  int next = 0;  // first record not yet acknowledged
  while (next < r.records) {
    const int kill_after = r.kills < o.kills
                               ? std::uniform_int_distribution<int>(
                                     1, o.max_batches_before_kill)(rng)
                               : 1 << 30;
    const int delay_us =
        std::uniform_int_distribution<int>(0, o.max_kill_delay_us)(rng);
    std::thread killer;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(120));
    auto stream = driver.Open(*stub, &ctx);
    int sent_in_stream = 0;
    bool lost = false;
    while (next < r.records) {
      const int end = std::min(r.records, next + o.batch_size);
      auto batch = driver.MakeBatch(next / o.batch_size + 1, next, end);
      if (sent_in_stream == kill_after) {
        // Killed while this batch is in flight: it may or may not have been
        // written; unacknowledged, it is resent after the restart.
        ServerProcess* victim = r.server.get();
        killer = std::thread([victim, delay_us] {
          std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
          victim->Kill();
        });
      }
      BatchAck ack;
      if (!stream->Write(batch) || !stream->Read(&ack)) {
        lost = true;
        break;
      }
      ++sent_in_stream;
      ++r.acked_batches;
      r.duplicates += ack.duplicates();
      if (ack.rejected() != 0 ||
          ack.accepted() + ack.duplicates() != end - next) {
        return absl::InternalError(absl::StrCat(
            "batch at record ", next, ": ", ack.accepted(), " accepted, ",
            ack.duplicates(), " duplicates, ", ack.rejected(), " rejected of ",
            end - next, "\n", ack.ShortDebugString()));
      }
      next = end;  // acknowledged: never resent
    }
    if (killer.joinable()) killer.join();
    if (!lost) {
      stream->WritesDone();
      grpc::Status s = stream->Finish();
      if (!s.ok()) return absl::InternalError(s.error_message());
      break;
    }
    stream->Finish();  // the server died: the stream is gone
    ++r.kills;
    r.kill_points.push_back(next);
    if (r.server->running()) r.server->Kill();
    started = ServerProcess::Start(start_options);
    if (!started.ok()) return started.status();
    r.server = std::move(*started);
    stub = Driver::NewStub(grpc::CreateChannel(
        r.server->address(), grpc::InsecureChannelCredentials()));
  }
  return r;
}

}  // namespace peel::testing
