#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "peel/common/v1/common.pb.h"

// What every benchmark of the suite shares: timing, percentiles, the
// multi-stream batched ingest client, and the one output format the runner
// (tools/bench/run-all) parses: "RESULT <subject> <figure> <value>" lines,
// one per sample; the runner takes the median of a figure's samples.
namespace peel::bench {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void Result(absl::string_view subject, absl::string_view figure, double value);
[[noreturn]] void Fail(absl::string_view what);
// Run by Fail before exiting (e.g. stop a PostgreSQL cluster); one at a
// time, null to clear.
void SetFailCleanup(void (*cleanup)());
// Server processes Fail kills (SIGKILL) before exiting, so that a failed
// benchmark leaves no server behind; untrack once terminated.
void TrackServer(int pid);
void UntrackServer(int pid);

struct Latency {
  double p50_us = 0, p99_us = 0, calls_per_s = 0;
};

// `calls` sequential calls of `call`; p50 / p99 of their wall times.
Latency Measure(int calls, const std::function<void()>& call);

double Median(std::vector<double> v);

// Resident and peak memory of a process, MiB (from /proc/PID/status).
double ResidentMib(int pid, absl::string_view field = "VmRSS");

inline std::chrono::system_clock::time_point Deadline(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// Streams records [from, to) over `streams` concurrent bidirectional
// streams, each with a writer thread running ahead of the acknowledgements.
// make(first, count) builds one batch (records first .. first+count-1).
// With `pregenerate` every batch is built before the clock starts, so the
// figure is the RPC + server cost, not the client's record building.
// Returns seconds; exits unless every record was accepted.
template <typename Batch, typename Open, typename Make>
double StreamBatches(Open open, Make make, int64_t from, int64_t to,
                     int streams, int batch, bool pregenerate) {
  const int64_t per = (to - from + streams - 1) / streams;
  std::vector<std::vector<Batch>> ready(streams);
  if (pregenerate) {
    for (int s = 0; s < streams; ++s) {
      const int64_t lo = from + s * per, hi = std::min(to, lo + per);
      for (int64_t i = lo; i < hi; i += batch) {
        ready[s].push_back(make(i, std::min<int64_t>(batch, hi - i)));
      }
    }
  }
  std::vector<int64_t> accepted(streams, 0);
  std::vector<std::string> errors(streams);
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      const int64_t lo = from + s * per, hi = std::min(to, lo + per);
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(3600));
      auto stream = open(&ctx);
      std::thread writer([&] {
        uint64_t seq = 0;
        size_t next = 0;
        for (int64_t i = lo; i < hi; i += batch) {
          Batch b = pregenerate ? std::move(ready[s][next++])
                                : make(i, std::min<int64_t>(batch, hi - i));
          b.set_sequence(++seq);
          if (!stream->Write(b)) break;
        }
        stream->WritesDone();
      });
      peel::common::v1::BatchAck ack;
      while (stream->Read(&ack)) {
        accepted[s] += ack.accepted();
        if (ack.rejected() > 0 && errors[s].empty()) {
          for (const auto& r : ack.results()) {
            if (r.outcome() == peel::common::v1::RecordResult::REJECTED) {
              errors[s] =
                  "record " + r.id() + " rejected: " +
                  (r.violations().empty() ? std::string("?")
                                          : r.violations(0).field() + " " +
                                                r.violations(0).description());
              break;
            }
          }
        }
      }
      writer.join();
      grpc::Status st = stream->Finish();
      if (!st.ok()) errors[s] = "stream failed: " + st.error_message();
    });
  }
  for (auto& t : threads) t.join();
  const double secs = SecondsSince(t0);
  int64_t total = 0;
  for (int s = 0; s < streams; ++s) {
    if (!errors[s].empty()) Fail(errors[s]);
    total += accepted[s];
  }
  if (total != to - from) {
    Fail("accepted " + std::to_string(total) + " of " +
         std::to_string(to - from));
  }
  return secs;
}

}  // namespace peel::bench
