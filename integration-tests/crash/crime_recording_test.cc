// Crash safety of crime-recording: audited incidents streamed while the
// server is SIGKILLed at random moments (common/testing/crash_loop.h); the
// estimate's counts must equal a recount of every record sent, once each.
#include <cstdlib>

#include "absl/strings/str_format.h"
#include "common/testing/crash_loop.h"
#include "common/testing/server_bin.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"

namespace {

namespace v1 = ::peel::crimerecording::v1;
using peel::common::v1::BatchAck;

constexpr char kAuditId[] = "crash-audit";

// Incident i yields (i % 3) crimes; crime c of incident i is recorded unless
// (i + c) % 7 == 0. The expected totals are recounted from this rule.
struct CrimeRecordingDriver {
  using Stub = v1::CrimeRecordingService::Stub;
  using Batch = v1::AuditedIncidentBatch;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return v1::CrimeRecordingService::NewStub(c);
  }
  absl::Status Prepare(Stub& stub) {
    v1::CreateAuditRequest req;
    v1::Audit* a = req.mutable_audit();
    a->set_audit_id(kAuditId);
    a->set_force("kent");
    a->mutable_period()->set_start_date("2022-01-01");
    a->mutable_period()->set_end_date("2022-06-30");
    a->set_recorded_crime_base(100000);
    a->set_recorded_crime_base_source("test");
    for (auto stratum : {v1::VIOLENCE, v1::OTHER}) {
      auto* s = a->add_strata();
      s->set_stratum(stratum);
      s->set_weight(0.5);
    }
    v1::Audit resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub.CreateAudit(&ctx, req, &resp);
    return s.ok() ? absl::OkStatus() : absl::InternalError(s.error_message());
  }
  Batch MakeBatch(uint64_t sequence, int first, int end) {
    Batch b;
    b.set_sequence(sequence);
    b.set_audit_id(kAuditId);
    for (int i = first; i < end; ++i) {
      auto* inc = b.add_incidents();
      inc->set_incident_id(absl::StrFormat("crash-%07d", i));
      inc->set_stratum(i % 2 ? v1::VIOLENCE : v1::OTHER);
      for (int c = 0; c < i % 3; ++c) {
        inc->add_crimes()->set_recorded((i + c) % 7 != 0);
      }
    }
    return b;
  }
  std::unique_ptr<grpc::ClientReaderWriter<Batch, BatchAck>> Open(
      Stub& stub, grpc::ClientContext* ctx) {
    return stub.IngestAuditedIncidents(ctx);
  }
};

TEST(CrimeRecording,
     KilledServerLosesNothingAcknowledgedAndCountsNothingTwice) {
  const std::string bin = peel::testing::ServerBin(
      "PEEL_CRIME_RECORDING_BIN", PEEL_CRIME_RECORDING_BIN_PATH);
  peel::testing::TempDir dir("crash-crime-recording");
  peel::testing::CrashLoopOptions o;
  o.binary = bin;
  o.service_name = "peel.crimerecording.v1.CrimeRecordingService";
  o.data_dir = dir.Sub("data");
  o.work_dir = dir.path();
  o.kills = peel::testing::CrashKillsFromEnv();
  o.extra_args = peel::testing::CrashServerArgsFromEnv();
  CrimeRecordingDriver driver;
  auto run = peel::testing::RunCrashLoop(driver, o);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->kills, o.kills);

  // Recount what was sent, independently of the service.
  int64_t crimes[2] = {0, 0}, recorded[2] = {0, 0};
  for (int i = 0; i < run->records; ++i) {
    const int s = i % 2 ? 0 : 1;
    for (int c = 0; c < i % 3; ++c) {
      ++crimes[s];
      if ((i + c) % 7 != 0) ++recorded[s];
    }
  }
  auto stub = CrimeRecordingDriver::NewStub(grpc::CreateChannel(
      run->server->address(), grpc::InsecureChannelCredentials()));
  v1::GetRecordingEstimateRequest req;
  req.set_audit_id(kAuditId);
  v1::RecordingEstimate e;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub->GetRecordingEstimate(&ctx, req, &e).ok());
  EXPECT_EQ(e.incidents(), run->records);
  ASSERT_EQ(e.strata_size(), 2);
  EXPECT_EQ(e.strata(0).rate().ratio().denominator(), crimes[0]);
  EXPECT_EQ(e.strata(0).rate().ratio().numerator(), recorded[0]);
  EXPECT_EQ(e.strata(1).rate().ratio().denominator(), crimes[1]);
  EXPECT_EQ(e.strata(1).rate().ratio().numerator(), recorded[1]);
  std::cout << "kills " << run->kills << ", records " << run->records
            << ", acknowledged batches " << run->acked_batches
            << ", duplicates on resend " << run->duplicates << "\n";
  if (HasFailure()) std::cerr << run->server->Log();
}

}  // namespace
