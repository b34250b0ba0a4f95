// Crash safety of soc-disruptions: disruptions streamed while the server is
// SIGKILLed at random moments (common/testing/crash_loop.h); the year's
// summary must equal the client's own tally of the disruptions it had
// acknowledged, each once, and every group's history must list exactly its
// disruptions.
#include <cstdlib>
#include <set>

#include "absl/strings/str_format.h"
#include "common/testing/crash_loop.h"
#include "common/testing/server_bin.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "gtest/gtest.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"

namespace {

namespace v1 = ::peel::soc::v1;
using peel::common::v1::BatchAck;

constexpr char kForce[] = "kent";
constexpr int kGroups = 10;

std::string GroupId(int g) { return absl::StrFormat("crash-ocg-%02d", g); }
std::string DisruptionId(int i) { return absl::StrFormat("crash-d-%07d", i); }

// Disruption i: against group (i / 4) % 10 when i % 4 == 0, else against an
// individual; on day (i * 13) % 365 of the year from 2021-07-01; pillar
// 1 + i % 4; i % 3 arrests, i % 2 charges; (i % 100) pounds seized.
v1::Disruption DisruptionOf(int i) {
  static const int32_t base = peel::dates::DaysFromCivil(2021, 7, 1);
  v1::Disruption d;
  d.set_disruption_id(DisruptionId(i));
  d.set_force(kForce);
  if (i % 4 == 0) d.set_group_id(GroupId((i / 4) % kGroups));
  d.set_date(peel::dates::FormatIsoDate(
      base + static_cast<int32_t>((int64_t{i} * 13) % 365)));
  d.set_pillar(static_cast<v1::Pillar>(1 + i % 4));
  d.set_magnitude(static_cast<v1::Magnitude>(1 + i % 5));
  d.set_tactic(static_cast<v1::Tactic>(1 + i % 10));
  d.set_arrests(i % 3);
  d.set_charges(i % 2);
  d.mutable_seizures()->set_cash_pence(int64_t{i % 100} * 100);
  return d;
}

struct SocDriver {
  using Stub = v1::SocDisruptionService::Stub;
  using Batch = v1::DisruptionBatch;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return v1::SocDisruptionService::NewStub(c);
  }
  absl::Status Prepare(Stub& stub) {
    for (int g = 0; g < kGroups; ++g) {
      v1::RegisterGroupRequest req;
      auto* group = req.mutable_group();
      group->set_group_id(GroupId(g));
      group->set_force(kForce);
      group->add_threat_areas(v1::DRUGS_SUPPLY);
      group->set_threat_score(10 + g);
      group->set_threat_band(v1::THREAT_BAND_MEDIUM);
      group->set_lead_responsible_officer_role("detective inspector");
      group->set_has_4p_plan(g % 2 == 0);
      group->set_status(v1::ACTIVE);
      group->set_active_from("2020-01-01");
      v1::OrganisedCrimeGroup resp;
      grpc::ClientContext ctx;
      grpc::Status s = stub.RegisterGroup(&ctx, req, &resp);
      if (!s.ok()) return absl::InternalError(s.error_message());
    }
    return absl::OkStatus();
  }
  Batch MakeBatch(uint64_t sequence, int first, int end) {
    Batch b;
    b.set_sequence(sequence);
    for (int i = first; i < end; ++i) *b.add_disruptions() = DisruptionOf(i);
    return b;
  }
  std::unique_ptr<grpc::ClientReaderWriter<Batch, BatchAck>> Open(
      Stub& stub, grpc::ClientContext* ctx) {
    return stub.IngestDisruptions(ctx);
  }
};

TEST(SocDisruptions,
     KilledServerLosesNothingAcknowledgedAndCountsNothingTwice) {
  const std::string bin = peel::testing::ServerBin(
      "PEEL_SOC_DISRUPTIONS_BIN", PEEL_SOC_DISRUPTIONS_BIN_PATH);
  peel::testing::TempDir dir("crash-soc-disruptions");
  peel::testing::CrashLoopOptions o;
  o.binary = bin;
  o.service_name = "peel.soc.v1.SocDisruptionService";
  o.data_dir = dir.Sub("data");
  o.work_dir = dir.path();
  o.kills = peel::testing::CrashKillsFromEnv();
  o.extra_args = peel::testing::CrashServerArgsFromEnv();
  // Aggregates checkpointed every 3 batches of 500 (the default is every
  // 131,072 records), so that kills land both on batches that write a
  // journal entry and on batches that write a checkpoint.
  o.extra_args.push_back("--aggregate_checkpoint_records=1500");
  SocDriver driver;
  auto run = peel::testing::RunCrashLoop(driver, o);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->kills, o.kills);

  // The client's own tally.
  int64_t pillars[5] = {}, arrests = 0, charges = 0, cash = 0, individual = 0;
  std::set<std::string> by_group[kGroups];
  for (int i = 0; i < run->records; ++i) {
    const v1::Disruption d = DisruptionOf(i);
    ++pillars[d.pillar()];
    arrests += d.arrests();
    charges += d.charges();
    cash += d.seizures().cash_pence();
    if (d.group_id().empty()) {
      ++individual;
    } else {
      by_group[(i / 4) % kGroups].insert(d.disruption_id());
    }
  }

  auto stub = SocDriver::NewStub(grpc::CreateChannel(
      run->server->address(), grpc::InsecureChannelCredentials()));
  v1::GetDisruptionSummaryRequest req;
  req.set_force(kForce);
  req.mutable_period()->set_start_date("2021-07-01");
  req.mutable_period()->set_end_date("2022-06-30");
  v1::DisruptionSummary s;
  {
    grpc::ClientContext ctx;
    grpc::Status status = stub->GetDisruptionSummary(&ctx, req, &s);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(s.disruptions(), run->records);
  ASSERT_EQ(s.by_pillar_size(), 4);
  for (const auto& p : s.by_pillar()) {
    EXPECT_EQ(p.share().ratio().numerator(), pillars[p.pillar()])
        << v1::Pillar_Name(p.pillar());
  }
  EXPECT_EQ(s.arrests(), arrests);
  EXPECT_EQ(s.charges(), charges);
  EXPECT_EQ(s.seizures().cash_pence(), cash);
  EXPECT_EQ(s.against_individuals(), individual);

  // Record by record: each group's history holds exactly its disruptions.
  for (int g = 0; g < kGroups; ++g) {
    v1::StreamGroupHistoryRequest h;
    h.set_group_id(GroupId(g));
    grpc::ClientContext ctx;
    auto reader = stub->StreamGroupHistory(&ctx, h);
    std::multiset<std::string> got;
    v1::Disruption d;
    while (reader->Read(&d)) got.insert(d.disruption_id());
    ASSERT_TRUE(reader->Finish().ok());
    EXPECT_EQ(got.size(), by_group[g].size()) << GroupId(g);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), by_group[g].begin(),
                           by_group[g].end()))
        << GroupId(g);
  }
  std::cout << "kills " << run->kills << ", records " << run->records
            << ", acknowledged batches " << run->acked_batches
            << ", duplicates on resend " << run->duplicates << "\n";
  if (HasFailure()) std::cerr << run->server->Log();
}

}  // namespace
