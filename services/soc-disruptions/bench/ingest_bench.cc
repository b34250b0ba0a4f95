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
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
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
#include "common/util/dates.h"
#include "grpcpp/grpcpp.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "services/soc-disruptions/service.h"
#include "services/soc-disruptions/store.h"

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
ABSL_FLAG(bool, in_process, false,
          "apply the batches to a SocStore in this process instead (no gRPC): "
          "the store's own ceiling");
ABSL_FLAG(std::string, shape, "random",
          "random: each record's force, group and date drawn at random (a "
          "batch touches hundreds of month tallies); force_ordered: each "
          "batch is one force's disruptions in date order, as a force's "
          "export would arrive");

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

// Synthetic disruptions over the five years to 30 June 2022; a fifth of
// them in the Metropolitan Police Service, the rest spread over the forces.
class Generator {
 public:
  Generator(std::vector<std::string> forces, int groups_per_force, bool ordered,
            int64_t total, int batch_size)
      : forces_(std::move(forces)),
        groups_per_force_(groups_per_force),
        ordered_(ordered),
        batch_size_(batch_size),
        start_(*peel::dates::ParseIsoDate("2017-07-01")),
        days_(*peel::dates::ParseIsoDate("2022-06-30") - start_ + 1),
        cursor_(forces_.size(), 0),
        per_day_(forces_.size(), 1) {
    met_ = static_cast<size_t>(
        std::find(forces_.begin(), forces_.end(), "metropolitan") -
        forces_.begin());
    // Ordered: how many records each force gets, so that its dates span
    // the five years.
    std::vector<int64_t> expected(forces_.size(), 0);
    const int64_t batches = (total + batch_size - 1) / batch_size;
    for (int64_t j = 0; j < batches; ++j) {
      expected[ForceOfBatch(j)] += batch_size;
    }
    for (size_t f = 0; f < forces_.size(); ++f) {
      per_day_[f] = std::max<int64_t>(1, expected[f] / days_);
    }
  }

  std::vector<v1::DisruptionBatch> Make(int64_t count) {
    std::vector<v1::DisruptionBatch> out;
    v1::DisruptionBatch b;
    size_t force = ForceOfBatch(batch_index_);
    for (int64_t i = 0; i < count; ++i, ++serial_) {
      if (!ordered_) {
        force = rng_() % 5 == 0 ? met_ : rng_() % forces_.size();
      }
      int32_t day;
      if (ordered_) {
        day = start_ + static_cast<int32_t>(
                           (cursor_[force]++ / per_day_[force]) % days_);
      } else {
        day = start_ +
              static_cast<int32_t>(rng_() % static_cast<uint64_t>(days_));
      }
      Fill(b.add_disruptions(), forces_[force], day);
      if (b.disruptions_size() == batch_size_) {
        b.set_sequence(++batch_index_);
        out.push_back(std::move(b));
        b = v1::DisruptionBatch();
        force = ForceOfBatch(batch_index_);
      }
    }
    if (b.disruptions_size() > 0) {
      b.set_sequence(++batch_index_);
      out.push_back(std::move(b));
    }
    return out;
  }

 private:
  size_t ForceOfBatch(int64_t j) const {
    return j % 5 == 0 ? met_ : static_cast<size_t>(j % 43) % forces_.size();
  }

  void Fill(v1::Disruption* d, const std::string& force, int32_t day) {
    d->set_disruption_id(absl::StrFormat("bench-%09d", serial_));
    d->set_force(force);
    if (rng_() % 6 != 0) {
      d->set_group_id(
          GroupId(force, static_cast<int>(rng_() % groups_per_force_)));
    }
    d->set_date(peel::dates::FormatIsoDate(day));
    const uint64_t p = rng_() % 100;
    d->set_pillar(p < 78   ? v1::PURSUE
                  : p < 88 ? v1::PROTECT
                  : p < 95 ? v1::PREVENT
                           : v1::PREPARE);
    d->set_magnitude(static_cast<v1::Magnitude>(1 + rng_() % 5));
    d->set_tactic(static_cast<v1::Tactic>(1 + rng_() % 10));
    d->set_arrests(static_cast<int32_t>(rng_() % 3));
    d->set_charges(static_cast<int32_t>(rng_() % 2));
    if (d->tactic() == v1::SEIZURE) {
      d->mutable_seizures()->set_cash_pence(
          static_cast<int64_t>(rng_() % 500000));
      d->mutable_seizures()->set_drugs_grams(
          static_cast<int64_t>(rng_() % 2000));
    }
    if (rng_() % 50 == 0) d->set_operation("bench-op");
  }

  std::vector<std::string> forces_;
  int groups_per_force_;
  bool ordered_;
  int batch_size_;
  int32_t start_;
  int32_t days_;
  std::vector<int64_t> cursor_;
  std::vector<int64_t> per_day_;
  size_t met_ = 0;
  std::mt19937_64 rng_{20220630};
  int64_t serial_ = 0;
  int64_t batch_index_ = 0;
};

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

v1::OrganisedCrimeGroup BenchGroup(const std::string& force, int i) {
  v1::OrganisedCrimeGroup g;
  g.set_group_id(GroupId(force, i));
  g.set_force(force);
  g.add_threat_areas(static_cast<v1::ThreatArea>(1 + i % 7));
  g.set_threat_score(100 + i);
  g.set_threat_band(v1::THREAT_BAND_MEDIUM);
  g.set_lead_responsible_officer_role("detective inspector");
  g.set_has_4p_plan(i % 3 == 0);
  g.set_status(v1::ACTIVE);
  g.set_active_from("2017-01-01");
  return g;
}

int RunInProcess(const std::string& path,
                 const std::vector<std::string>& forces, Generator* generator,
                 int64_t first, int64_t total, int groups_per_force,
                 int calls) {
  peel::store::StoreOptions options;
  options.path = path;
  auto store = peel::soc::SocStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  for (const auto& force : forces) {
    for (int i = 0; i < groups_per_force; ++i) {
      if (!(*store)->RegisterGroup(BenchGroup(force, i)).ok()) return 1;
    }
  }
  int64_t stored = 0;
  for (int64_t target : {first, total}) {
    if (target <= stored) continue;
    const auto batches = generator->Make(target - stored);
    const auto t0 = Clock::now();
    int64_t accepted = 0;
    for (const auto& b : batches) {
      auto ack = (*store)->ApplyDisruptions(b);
      if (!ack.ok()) {
        std::fprintf(stderr, "%s\n", ack.status().ToString().c_str());
        return 1;
      }
      accepted += ack->accepted();
    }
    const double seconds =
        std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf(
        "in process: apply %lld -> %lld: %lld records in %.3f s = %.0f "
        "records/s\n",
        static_cast<long long>(stored), static_cast<long long>(target),
        static_cast<long long>(accepted), seconds, accepted / seconds);
    stored = target;
    v1::GetDisruptionSummaryRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date("2021-07-01");
    req.mutable_period()->set_end_date("2022-06-30");
    std::vector<double> micros;
    for (int i = 0; i < calls; ++i) {
      const auto s0 = Clock::now();
      auto summary = peel::soc::SummariseForce(**store, req);
      micros.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - s0).count());
      if (!summary.ok()) return 1;
    }
    std::sort(micros.begin(), micros.end());
    std::printf(
        "in process: summary at %lld stored: p50 %.0f us, p99 %.0f us\n",
        static_cast<long long>(stored), micros[micros.size() / 2],
        micros[micros.size() * 99 / 100]);
  }
  return 0;
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
  if (address.empty() && !absl::GetFlag(FLAGS_in_process)) {
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
    if (absl::GetFlag(FLAGS_in_process)) break;
    for (int i = 0; i < groups_per_force; ++i) {
      v1::RegisterGroupRequest req;
      *req.mutable_group() = BenchGroup(force, i);
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

  const std::string shape = absl::GetFlag(FLAGS_shape);
  if (shape != "random" && shape != "force_ordered") {
    std::fprintf(stderr, "--shape is random or force_ordered\n");
    return 2;
  }
  Generator generator(forces, groups_per_force, shape == "force_ordered", total,
                      batch);
  std::printf("shape %s\n", shape.c_str());
  int64_t stored = 0;
  if (absl::GetFlag(FLAGS_in_process)) {
    return RunInProcess(dir.Sub("in-process"), forces, &generator, first, total,
                        groups_per_force, absl::GetFlag(FLAGS_calls));
  }
  for (int64_t target : {first, total}) {
    if (target <= stored) continue;
    const auto batches = generator.Make(target - stored);
    const pid_t pid = server ? server->pid() : 0;
    const double cpu0 = peel::testing::ProcessCpuSeconds(pid);
    IngestResult r = Ingest(stub.get(), batches, streams);
    const double cpu = peel::testing::ProcessCpuSeconds(pid) - cpu0;
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
    if (pid > 0) {
      std::printf("server CPU %.2f s = %.2f s per 10^6 records\n", cpu,
                  cpu * 1e6 / static_cast<double>(r.accepted));
    }
    stored = target;
    MeasureSummary(stub.get(), absl::GetFlag(FLAGS_calls), stored);
  }
  std::fflush(stdout);
  if (server) server->Terminate();
  return 0;
}
