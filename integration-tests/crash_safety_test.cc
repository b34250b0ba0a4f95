// Crash safety: stream audited incidents into crime-recording, SIGKILL it at
// random moments, restart it on the same store, resume from the last
// acknowledged batch, and check that every acknowledged record is there and
// that the maintained aggregates equal a recount of what was sent, with
// nothing counted twice.
//
// PEEL_CRASH_KILLS (default 3) sets the number of kills; docs/RELIABILITY.md
// records a long run.
#include <cstdlib>
#include <random>
#include <thread>

#include "absl/strings/str_format.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"

namespace {

namespace v1 = ::peel::crimerecording::v1;
constexpr char kService[] = "peel.crimerecording.v1.CrimeRecordingService";

v1::Audit CrashAudit() {
  v1::Audit a;
  a.set_audit_id("crash-audit");
  a.set_force("kent");
  a.mutable_period()->set_start_date("2022-01-01");
  a.mutable_period()->set_end_date("2022-06-30");
  a.set_recorded_crime_base(100000);
  a.set_recorded_crime_base_source("test");
  auto* s = a.add_strata();
  s->set_stratum(v1::VIOLENCE);
  s->set_weight(0.5);
  s = a.add_strata();
  s->set_stratum(v1::OTHER);
  s->set_weight(0.5);
  return a;
}

// Incident i yields (i % 3) crimes; crime c of incident i is recorded unless
// (i + c) % 7 == 0. The expected totals are recounted from this rule.
v1::AuditedIncident Incident(int i) {
  v1::AuditedIncident inc;
  inc.set_incident_id(absl::StrFormat("crash-%07d", i));
  inc.set_stratum(i % 2 ? v1::VIOLENCE : v1::OTHER);
  for (int c = 0; c < i % 3; ++c) {
    inc.add_crimes()->set_recorded((i + c) % 7 != 0);
  }
  return inc;
}

TEST(CrashSafety, KilledServerLosesNothingAcknowledgedAndCountsNothingTwice) {
  const char* bin = std::getenv("PEEL_CRIME_RECORDING_BIN");
  ASSERT_NE(bin, nullptr);
  const char* kills_env = std::getenv("PEEL_CRASH_KILLS");
  const int kills = kills_env ? std::atoi(kills_env) : 3;
  // Enough batches for every kill to land (each comes within 20 batches).
  constexpr int kBatch = 500;
  const int kRecords = std::max(60000, (20 * kills + 20) * kBatch);

  peel::testing::TempDir dir("crash-safety");
  auto start = [&] {
    auto s = peel::testing::ServerProcess::Start(
        {bin, kService, dir.Sub("data"), dir.path(), {}});
    EXPECT_TRUE(s.ok()) << s.status();
    return std::move(*s);
  };
  auto server = start();
  auto stub_for = [](const std::string& addr) {
    return v1::CrimeRecordingService::NewStub(
        grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  };
  auto stub = stub_for(server->address());
  {
    v1::CreateAuditRequest req;
    *req.mutable_audit() = CrashAudit();
    v1::Audit resp;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->CreateAudit(&ctx, req, &resp).ok());
  }

  std::mt19937 rng(20221128);
  int next = 0;  // first incident not yet acknowledged
  int killed = 0, acked_batches = 0, duplicates_seen = 0;
  while (next < kRecords) {
    // Kill after a random number of acknowledged batches (or mid-batch).
    const int kill_after = killed < kills
                               ? std::uniform_int_distribution<int>(1, 20)(rng)
                               : 1 << 30;
    std::atomic<bool> stop{false};
    std::thread killer;
    grpc::ClientContext ctx;
    auto stream = stub->IngestAuditedIncidents(&ctx);
    int sent_in_stream = 0;
    bool lost = false;
    while (next < kRecords) {
      v1::AuditedIncidentBatch b;
      b.set_sequence(next / kBatch + 1);
      b.set_audit_id("crash-audit");
      for (int i = next; i < std::min(kRecords, next + kBatch); ++i) {
        *b.add_incidents() = Incident(i);
      }
      if (sent_in_stream == kill_after) {
        // Kill while this batch is in flight: it may or may not have been
        // written; it is not acknowledged, so it will be resent.
        killer = std::thread([&] {
          std::this_thread::sleep_for(std::chrono::microseconds(
              std::uniform_int_distribution<int>(0, 3000)(rng)));
          server->Kill();
        });
      }
      peel::common::v1::BatchAck ack;
      if (!stream->Write(b) || !stream->Read(&ack)) {
        lost = true;
        break;
      }
      ++sent_in_stream;
      ++acked_batches;
      duplicates_seen += ack.duplicates();
      ASSERT_EQ(ack.rejected(), 0);
      ASSERT_EQ(ack.accepted() + ack.duplicates(), b.incidents_size());
      next += b.incidents_size();  // acknowledged: never resent
    }
    if (killer.joinable()) killer.join();
    if (!lost) {
      stream->WritesDone();
      ASSERT_TRUE(stream->Finish().ok());
      break;
    }
    stream->Finish();  // the server died: the stream is gone
    ++killed;
    if (server->running()) server->Kill();
    server = start();
    stub = stub_for(server->address());
  }
  EXPECT_EQ(killed, kills);

  // Recount what was sent, independently of the service.
  int64_t crimes[2] = {0, 0}, recorded[2] = {0, 0}, incidents = 0;
  for (int i = 0; i < kRecords; ++i) {
    const int s = i % 2 ? 0 : 1;
    ++incidents;
    for (int c = 0; c < i % 3; ++c) {
      ++crimes[s];
      if ((i + c) % 7 != 0) ++recorded[s];
    }
  }
  v1::GetRecordingEstimateRequest req;
  req.set_audit_id("crash-audit");
  v1::RecordingEstimate e;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->GetRecordingEstimate(&ctx, req, &e).ok());
  EXPECT_EQ(e.incidents(), incidents);
  ASSERT_EQ(e.strata_size(), 2);
  EXPECT_EQ(e.strata(0).rate().ratio().denominator(), crimes[0]);
  EXPECT_EQ(e.strata(0).rate().ratio().numerator(), recorded[0]);
  EXPECT_EQ(e.strata(1).rate().ratio().denominator(), crimes[1]);
  EXPECT_EQ(e.strata(1).rate().ratio().numerator(), recorded[1]);
  std::cout << "kills " << killed << ", acknowledged batches " << acked_batches
            << ", duplicates on resend " << duplicates_seen << "\n";
  if (HasFailure()) std::cerr << server->Log();
}

}  // namespace
