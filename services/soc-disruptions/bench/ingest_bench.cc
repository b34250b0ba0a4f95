// Ingest and summary-latency benchmark for soc-disruptions, against the real
// binary over gRPC (not a ctest test: it takes minutes and measures, it does
// not assert).
//
//   soc_disruptions_bench --server=build/.../soc-disruptions
//       [--records=1000000] [--batch=1000] [--streams=2] [--calls=2000]
//
// Starts the server on port 0 with a fresh store in a temporary folder,
// registers organised crime groups for every force, then streams synthetic
// disruptions (pre-built batches, several streams, each writing ahead of its
// acknowledgements) and reports records/s. After 10^4 records and again at
// the end it times GetDisruptionSummary for the Metropolitan Police Service's
// year to 30 June 2022 (p50/p90/p99/max over --calls sequential calls).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "grpcpp/grpcpp.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"

ABSL_FLAG(std::string, server, "", "path to the soc-disruptions binary");
ABSL_FLAG(std::string, address, "",
          "use an already running server at host:port instead of --server");
ABSL_FLAG(int64_t, records, 1000000, "disruptions to ingest in total");
ABSL_FLAG(int64_t, first_checkpoint, 10000,
          "records stored when the first latency measurement is taken");
ABSL_FLAG(int, batch, 1000, "disruptions per batch");
ABSL_FLAG(int, streams, 2, "concurrent ingest streams");
ABSL_FLAG(int, calls, 2000, "summary calls per latency measurement");
ABSL_FLAG(int, groups_per_force, 40, "groups registered per force");

namespace {

namespace v1 = ::peel::soc::v1;
using Clock = std::chrono::steady_clock;

std::vector<std::string> Forces() {
  std::vector<std::string> out;
  for (const auto& f : peel::reference::AllForces()) {
    if (f.in_peel_scope) out.emplace_back(f.slug);
  }
  return out;
}

std::string GroupId(const std::string& force, int i) {
  return absl::StrFormat("%s-g%04d", force, i);
}

// Synthetic disruptions over five years to 30 June 2022; a fifth of them in
// the Metropolitan Police Service, the rest spread over the other forces.
std::vector<v1::DisruptionBatch> MakeBatches(
    int64_t first, int64_t count, int batch_size,
    const std::vector<std::string>& forces, int groups_per_force,
    uint64_t* sequence) {
  std::mt19937_64 rng(static_cast<uint64_t>(first) * 7919 + 17);
  const int32_t start = *peel::dates::ParseIsoDate("2017-07-01");
  const int32_t end = *peel::dates::ParseIsoDate("2022-06-30");
  std::vector<v1::DisruptionBatch> out;
  v1::DisruptionBatch b;
  for (int64_t i = first; i < first + count; ++i) {
    v1::Disruption* d = b.add_disruptions();
    d->set_disruption_id(absl::StrFormat("bench-%09d", i));
    const std::string& force = rng() % 5 == 0 ? std::string("metropolitan")
                                              : forces[rng() % forces.size()];
    d->set_force(force);
    if (rng() % 6 != 0) {
      d->set_group_id(
          GroupId(force, static_cast<int>(rng() % groups_per_force)));
    }
    d->set_date(peel::dates::FormatIsoDate(
        start +
        static_cast<int32_t>(rng() % static_cast<uint64_t>(end - start + 1))));
    const uint64_t p = rng() % 100;
    d->set_pillar(p < 78   ? v1::PURSUE
                  : p < 88 ? v1::PROTECT
                  : p < 95 ? v1::PREVENT
                           : v1::PREPARE);
    d->set_magnitude(static_cast<v1::Magnitude>(1 + rng() % 5));
    d->set_tactic(static_cast<v1::Tactic>(1 + rng() % 10));
    d->set_arrests(static_cast<int32_t>(rng() % 3));
    d->set_charges(static_cast<int32_t>(rng() % 2));
    if (d->tactic() == v1::SEIZURE) {
      d->mutable_seizures()->set_cash_pence(
          static_cast<int64_t>(rng() % 500000));
      d->mutable_seizures()->set_drugs_grams(
          static_cast<int64_t>(rng() % 2000));
    }
    if (rng() % 50 == 0) d->set_operation("bench-op");
    if (b.disruptions_size() == batch_size) {
      b.set_sequence(++*sequence);
      out.push_back(std::move(b));
      b = v1::DisruptionBatch();
    }
  }
  if (b.disruptions_size() > 0) {
    b.set_sequence(++*sequence);
    out.push_back(std::move(b));
  }
  return out;
}

struct IngestResult {
  int64_t accepted = 0;
  int64_t other = 0;
  double seconds = 0;
  bool ok = true;
};

// Streams the batches over `streams` concurrent streams; on each, a writer
// thread writes ahead while the calling thread reads the acknowledgements.
IngestResult Ingest(v1::SocDisruptionService::Stub* stub,
                    const std::vector<v1::DisruptionBatch>& batches,
                    int streams) {
  std::atomic<int64_t> accepted{0}, other{0};
  std::atomic<bool> ok{true};
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::minutes(30));
      auto stream = stub->IngestDisruptions(&ctx);
      std::thread writer([&] {
        for (size_t i = static_cast<size_t>(s); i < batches.size();
             i += static_cast<size_t>(streams)) {
          if (!stream->Write(batches[i])) break;
        }
        stream->WritesDone();
      });
      peel::common::v1::BatchAck ack;
      while (stream->Read(&ack)) {
        accepted += ack.accepted();
        other += ack.duplicates() + ack.rejected();
      }
      writer.join();
      grpc::Status st = stream->Finish();
      if (!st.ok()) {
        std::fprintf(stderr, "stream %d: %s\n", s, st.error_message().c_str());
        ok = false;
      }
    });
  }
  for (auto& t : threads) t.join();
  IngestResult r;
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.accepted = accepted;
  r.other = other;
  r.ok = ok;
  return r;
}

void MeasureSummary(v1::SocDisruptionService::Stub* stub, int calls,
                    int64_t stored) {
  v1::GetDisruptionSummaryRequest req;
  req.set_force("metropolitan");
  req.mutable_period()->set_start_date("2021-07-01");
  req.mutable_period()->set_end_date("2022-06-30");
  std::vector<double> micros;
  v1::DisruptionSummary resp;
  for (int i = 0; i < calls + calls / 10; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(5));
    const auto t0 = Clock::now();
    grpc::Status st = stub->GetDisruptionSummary(&ctx, req, &resp);
    const double us =
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    if (!st.ok()) {
      std::fprintf(stderr, "summary failed: %s\n", st.error_message().c_str());
      return;
    }
    if (i >= calls / 10) micros.push_back(us);  // the first tenth warms up
  }
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double q) {
    return micros[std::min(micros.size() - 1,
                           static_cast<size_t>(q * micros.size()))];
  };
  std::printf(
      "summary at %lld stored: %zu calls, p50 %.0f us, p90 %.0f us, p99 %.0f "
      "us, max %.0f us (metropolitan year: %lld disruptions, %lld groups "
      "active)\n",
      static_cast<long long>(stored), micros.size(), pct(0.5), pct(0.9),
      pct(0.99), micros.back(), static_cast<long long>(resp.disruptions()),
      static_cast<long long>(resp.groups_active_in_period()));
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int64_t total = absl::GetFlag(FLAGS_records);
  const int64_t first = std::min(total, absl::GetFlag(FLAGS_first_checkpoint));
  const int batch = absl::GetFlag(FLAGS_batch);
  const int streams = absl::GetFlag(FLAGS_streams);
  const int groups_per_force = absl::GetFlag(FLAGS_groups_per_force);

  peel::testing::TempDir dir("soc-disruptions-bench");
  std::unique_ptr<peel::testing::ServerProcess> server;
  std::string address = absl::GetFlag(FLAGS_address);
  if (address.empty()) {
    if (absl::GetFlag(FLAGS_server).empty()) {
      std::fprintf(stderr, "give --server=PATH or --address=HOST:PORT\n");
      return 2;
    }
    auto s =
        peel::testing::ServerProcess::Start({absl::GetFlag(FLAGS_server),
                                             "peel.soc.v1.SocDisruptionService",
                                             dir.Sub("data"),
                                             dir.path(),
                                             {}});
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
      return 1;
    }
    server = std::move(*s);
    address = server->address();
  }
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 << 20);
  auto stub = v1::SocDisruptionService::NewStub(grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args));

  const std::vector<std::string> forces = Forces();
  for (const auto& force : forces) {
    for (int i = 0; i < groups_per_force; ++i) {
      v1::RegisterGroupRequest req;
      auto* g = req.mutable_group();
      g->set_group_id(GroupId(force, i));
      g->set_force(force);
      g->add_threat_areas(static_cast<v1::ThreatArea>(1 + i % 7));
      g->set_threat_score(100 + i);
      g->set_threat_band(v1::THREAT_BAND_MEDIUM);
      g->set_lead_responsible_officer_role("detective inspector");
      g->set_has_4p_plan(i % 3 == 0);
      g->set_status(v1::ACTIVE);
      g->set_active_from("2017-01-01");
      v1::OrganisedCrimeGroup resp;
      grpc::ClientContext ctx;
      grpc::Status st = stub->RegisterGroup(&ctx, req, &resp);
      if (!st.ok()) {
        std::fprintf(stderr, "register: %s\n", st.error_message().c_str());
        return 1;
      }
    }
  }
  std::printf("%zu forces, %d groups each; batches of %d over %d streams\n",
              forces.size(), groups_per_force, batch, streams);

  uint64_t sequence = 0;
  int64_t stored = 0;
  for (int64_t target : {first, total}) {
    if (target <= stored) continue;
    const auto batches = MakeBatches(stored, target - stored, batch, forces,
                                     groups_per_force, &sequence);
    IngestResult r = Ingest(stub.get(), batches, streams);
    if (!r.ok || r.accepted != target - stored) {
      std::fprintf(stderr, "ingest failed: %lld accepted, %lld not\n",
                   static_cast<long long>(r.accepted),
                   static_cast<long long>(r.other));
      if (server) std::fprintf(stderr, "%s\n", server->Log().c_str());
      return 1;
    }
    std::printf(
        "ingest %lld -> %lld: %lld records in %.3f s = %.0f records/s\n",
        static_cast<long long>(stored), static_cast<long long>(target),
        static_cast<long long>(r.accepted), r.seconds, r.accepted / r.seconds);
    stored = target;
    MeasureSummary(stub.get(), absl::GetFlag(FLAGS_calls), stored);
  }
  std::fflush(stdout);
  if (server) server->Terminate();
  return 0;
}
