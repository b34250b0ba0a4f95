// Crash safety of victim-service: 999/101 call records streamed while the
// server is SIGKILLed at random moments (common/testing/crash_loop.h); every
// month's call-handling figures must equal the client's own tally of the
// records it had acknowledged, each counted once.
#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_format.h"
#include "common/testing/crash_loop.h"
#include "common/testing/server_bin.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "gtest/gtest.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"

namespace {

namespace v1 = ::peel::victimservice::v1;
using peel::common::v1::BatchAck;

constexpr char kForce[] = "kent";
// 2021-10-01T00:00:00Z; calls spread over October to December 2021.
constexpr int64_t kQuarterStart = 1633046400;
constexpr int64_t kQuarterSeconds = int64_t{92} * 86400;

// Call i: 101 when i % 3 == 0, else 999; abandoned after (i % 60) s when
// i % 11 == 0, else answered after (i * 104729) % 45000 ms; offered at a
// pseudo-random second of the quarter.
struct Call {
  bool emergency;
  bool abandoned;
  int64_t ms;
  int64_t offered;
};
Call CallOf(int i) {
  const int64_t n = i;
  return {i % 3 != 0, i % 11 == 0,
          i % 11 == 0 ? (n % 60) * 1000 : (n * 104729) % 45000,
          kQuarterStart + (n * 7919) % kQuarterSeconds};
}

struct VictimServiceDriver {
  using Stub = v1::VictimService::Stub;
  using Batch = v1::CallRecordBatch;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return v1::VictimService::NewStub(c);
  }
  absl::Status Prepare(Stub&) { return absl::OkStatus(); }
  Batch MakeBatch(uint64_t sequence, int first, int end) {
    Batch b;
    b.set_sequence(sequence);
    for (int i = first; i < end; ++i) {
      const Call c = CallOf(i);
      auto* r = b.add_calls();
      r->set_call_id(absl::StrFormat("crash-call-%07d", i));
      r->set_force(kForce);
      r->set_channel(c.emergency ? v1::EMERGENCY_999 : v1::NON_EMERGENCY_101);
      r->mutable_offered_at()->set_seconds(c.offered);
      if (c.abandoned) {
        r->mutable_abandoned()->set_waited_ms(c.ms);
      } else {
        r->mutable_answered()->set_answer_ms(c.ms);
      }
    }
    return b;
  }
  std::unique_ptr<grpc::ClientReaderWriter<Batch, BatchAck>> Open(
      Stub& stub, grpc::ClientContext* ctx) {
    return stub.IngestCallRecords(ctx);
  }
};

struct Tally {
  int64_t answered = 0, abandoned = 0, under_10 = 0, ms_sum = 0, ms_max = 0;
  void Add(const Call& c) {
    if (c.abandoned) {
      ++abandoned;
      return;
    }
    ++answered;
    if (c.ms < 10000) ++under_10;
    ms_sum += c.ms;
    ms_max = std::max(ms_max, c.ms);
  }
};

void ExpectTimes(const v1::AnswerTimes& t, const Tally& want) {
  EXPECT_EQ(t.answered(), want.answered);
  EXPECT_DOUBLE_EQ(t.mean_seconds(), want.ms_sum / 1000.0 / want.answered);
  EXPECT_DOUBLE_EQ(t.max_seconds(), want.ms_max / 1000.0);
}

void ExpectFigures(const v1::CallHandlingFigures& f, const Tally& e999,
                   const Tally& n101) {
  const auto& e = f.emergency();
  EXPECT_EQ(e.answered(), e999.answered);
  EXPECT_EQ(e.abandoned(), e999.abandoned);
  EXPECT_EQ(e.within_10s().ratio().numerator(), e999.under_10);
  EXPECT_EQ(e.within_10s().ratio().denominator(), e999.answered);
  ExpectTimes(e.answer_times(), e999);
  const auto& n = f.non_emergency();
  EXPECT_EQ(n.offered(), n101.answered + n101.abandoned);
  EXPECT_EQ(n.answered(), n101.answered);
  EXPECT_EQ(n.abandoned(), n101.abandoned);
  EXPECT_EQ(n.abandonment().ratio().numerator(), n101.abandoned);
  ExpectTimes(n.answer_times(), n101);
}

TEST(VictimService, KilledServerLosesNothingAcknowledgedAndCountsNothingTwice) {
  const std::string bin = peel::testing::ServerBin(
      "PEEL_VICTIM_SERVICE_BIN", PEEL_VICTIM_SERVICE_BIN_PATH);
  peel::testing::TempDir dir("crash-victim-service");
  peel::testing::CrashLoopOptions o;
  o.binary = bin;
  o.service_name = "peel.victimservice.v1.VictimService";
  o.data_dir = dir.Sub("data");
  o.work_dir = dir.path();
  o.kills = peel::testing::CrashKillsFromEnv();
  o.extra_args = peel::testing::CrashServerArgsFromEnv();
  // Call tallies checkpointed every 3 batches of 500 (the default is every
  // 131,072 calls), so that kills land both on batches that write a journal
  // entry and on batches that also write a checkpoint.
  o.extra_args.push_back("--aggregate_checkpoint_records=1500");
  VictimServiceDriver driver;
  auto run = peel::testing::RunCrashLoop(driver, o);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->kills, o.kills);

  // The client's own tally, by month (0..2) and overall (3).
  Tally e999[4], n101[4];
  for (int i = 0; i < run->records; ++i) {
    const Call c = CallOf(i);
    int year;
    unsigned month, day;
    peel::dates::CivilFromDays(peel::dates::DayOfUnixSeconds(c.offered), &year,
                               &month, &day);
    ASSERT_TRUE(year == 2021 && month >= 10) << c.offered;
    for (int slot : {static_cast<int>(month) - 10, 3}) {
      (c.emergency ? e999 : n101)[slot].Add(c);
    }
  }
  auto stub = VictimServiceDriver::NewStub(grpc::CreateChannel(
      run->server->address(), grpc::InsecureChannelCredentials()));
  v1::GetCallHandlingSummaryRequest req;
  req.set_force(kForce);
  req.mutable_period()->set_start_date("2021-10-01");
  req.mutable_period()->set_end_date("2021-12-31");
  v1::CallHandlingSummary s;
  grpc::ClientContext ctx;
  grpc::Status status = stub->GetCallHandlingSummary(&ctx, req, &s);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(s.months_size(), 3);
  for (int m = 0; m < 3; ++m) {
    SCOPED_TRACE(s.months(m).month());
    ExpectFigures(s.months(m), e999[m], n101[m]);
  }
  ExpectFigures(s.overall(), e999[3], n101[3]);
  EXPECT_EQ(e999[3].answered + e999[3].abandoned + n101[3].answered +
                n101[3].abandoned,
            run->records);
  std::cout << "kills " << run->kills << ", records " << run->records
            << ", acknowledged batches " << run->acked_batches
            << ", duplicates on resend " << run->duplicates << "\n";
  if (HasFailure()) std::cerr << run->server->Log();
}

}  // namespace
