// peelctl backup / restore end to end: the whole suite started by
// `peelctl up`, the record-level Met fixtures of every store service and a
// recorded judgment loaded, `peelctl backup` while it serves, then
// `peelctl restore` into a fresh data folder and `peelctl up` there: the
// Met's assessment is byte-for-byte the same (less the backends' addresses
// and latencies, which change with every start).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/testing/batch_client.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/admin/v1/admin.grpc.pb.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"
#include "services/soc-disruptions/tests/met_fixture.h"
#include "services/victim-service/tests/met_fixture.h"
#include "services/workforce/tests/met_fixture.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {
namespace {

namespace cr = ::peel::crimerecording::v1;
namespace vs = ::peel::victimservice::v1;
namespace soc = ::peel::soc::v1;
namespace wf = ::peel::workforce::v1;
namespace gw = ::peel::gateway::v1;

std::shared_ptr<grpc::Channel> Channel(const std::string& data_dir,
                                       const std::string& service) {
  SuiteOptions o;
  o.data_dir = data_dir;
  auto address = AddressOf(o, service);
  EXPECT_TRUE(address.ok()) << address.status();
  return grpc::CreateChannel(address.ok() ? *address : "127.0.0.1:1",
                             grpc::InsecureChannelCredentials());
}

class Backup : public ::testing::Test {
 protected:
  // Runs peelctl with `args`; returns its exit code, output in *out.
  int Peelctl(const std::string& args, std::string* out = nullptr) {
    const std::string log = dir_.Sub("peelctl.out");
    const std::string cmd =
        absl::StrCat(PEEL_PEELCTL_BIN_PATH, " ", args, " > ", log, " 2>&1");
    const int rc = std::system(cmd.c_str());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    if (out != nullptr) *out = text.str();
    last_output_ = text.str();
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
  }
  void TearDown() override {
    // Never leave servers running, whatever failed.
    for (const auto& d : {data_, fresh_}) {
      Peelctl(absl::StrCat("down --data_dir=", d));
    }
  }

  void Load(const std::string& data) {
    {
      auto stub =
          cr::CrimeRecordingService::NewStub(Channel(data, "crime-recording"));
      cr::CreateAuditRequest req;
      *req.mutable_audit() = crimerecording::testing::MetAudit();
      cr::Audit resp;
      grpc::ClientContext ctx;
      ASSERT_TRUE(stub->CreateAudit(&ctx, req, &resp).ok());
      auto acks = peel::testing::SendBatches<cr::AuditedIncidentBatch>(
          [&](grpc::ClientContext* c) {
            return stub->IngestAuditedIncidents(c);
          },
          crimerecording::testing::Batches(
              crimerecording::testing::MetIncidents(), 200));
      ASSERT_TRUE(acks.ok()) << acks.status();
    }
    {
      auto stub = vs::VictimService::NewStub(Channel(data, "victim-service"));
      vs::CreateAssessmentRequest req;
      *req.mutable_assessment() = victimservice::testing::MetAssessment();
      vs::Assessment resp;
      grpc::ClientContext ctx;
      ASSERT_TRUE(stub->CreateAssessment(&ctx, req, &resp).ok());
      auto reviews = peel::testing::SendBatches<vs::CaseReviewBatch>(
          [&](grpc::ClientContext* c) { return stub->IngestCaseReviews(c); },
          victimservice::testing::ReviewBatches(
              victimservice::testing::MetCaseReviews(), 50));
      ASSERT_TRUE(reviews.ok()) << reviews.status();
      auto calls = peel::testing::SendBatches<vs::CallRecordBatch>(
          [&](grpc::ClientContext* c) { return stub->IngestCallRecords(c); },
          victimservice::testing::CallBatches(
              victimservice::testing::MetCallRecords(), 500));
      ASSERT_TRUE(calls.ok()) << calls.status();
    }
    {
      auto stub =
          soc::SocDisruptionService::NewStub(Channel(data, "soc-disruptions"));
      for (const auto& g : peel::soc::testing::MetGroups()) {
        soc::RegisterGroupRequest req;
        *req.mutable_group() = g;
        soc::OrganisedCrimeGroup resp;
        grpc::ClientContext ctx;
        ASSERT_TRUE(stub->RegisterGroup(&ctx, req, &resp).ok());
      }
      auto ds = peel::testing::SendBatches<soc::DisruptionBatch>(
          [&](grpc::ClientContext* c) { return stub->IngestDisruptions(c); },
          peel::soc::testing::Batches(peel::soc::testing::MetDisruptions(),
                                      1000));
      ASSERT_TRUE(ds.ok()) << ds.status();
    }
    {
      namespace fx = ::peel::workforce::testing;
      auto stub = wf::WorkforceService::NewStub(Channel(data, "workforce"));
      auto people = peel::testing::SendBatches<wf::PersonRecordBatch>(
          [&](grpc::ClientContext* c) { return stub->IngestPersonRecords(c); },
          fx::PersonBatches(fx::MetPeople(), 1000), std::chrono::seconds(120));
      ASSERT_TRUE(people.ok()) << people.status();
      wf::PutUpliftTargetRequest req;
      *req.mutable_target() = fx::MetUpliftTarget();
      wf::UpliftTarget resp;
      grpc::ClientContext ctx;
      ASSERT_TRUE(stub->PutUpliftTarget(&ctx, req, &resp).ok());
    }
    {
      auto stub = gw::AssessmentGateway::NewStub(Channel(data, "gateway"));
      gw::RecordJudgmentRequest req;
      auto* j = req.mutable_judgment();
      j->set_judgment_id("met-2122-responding");
      j->set_force("metropolitan");
      j->set_area(gw::RESPONDING_TO_THE_PUBLIC);
      j->set_grade(peel::common::v1::INADEQUATE);
      j->set_summary("inadequate at responding to the public");
      j->set_judged_on("2022-09-01");
      j->set_source("PEEL 2021/22");
      j->mutable_period()->set_start_date("2021-04-01");
      j->mutable_period()->set_end_date("2022-06-30");
      gw::RecordResponse resp;
      grpc::ClientContext ctx;
      grpc::Status s = stub->RecordJudgment(&ctx, req, &resp);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }

  // The Met's assessment for PEEL 2021/22, serialized, without what
  // changes with every start (addresses, latencies).
  std::string Assessment(const std::string& data) {
    auto stub = gw::AssessmentGateway::NewStub(Channel(data, "gateway"));
    gw::GetForceAssessmentRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date("2021-04-01");
    req.mutable_period()->set_end_date("2022-06-30");
    gw::ForceAssessment a;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    grpc::Status s = stub->GetForceAssessment(&ctx, req, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (auto& b : *a.mutable_backends()) {
      EXPECT_TRUE(b.available()) << b.service() << ": " << b.reason();
      b.clear_addresses();
      b.clear_latency_micros();
    }
    std::string bytes;
    a.SerializeToString(&bytes);
    return bytes;
  }

  peel::testing::TempDir dir_{"peelctl-backup"};
  const std::string data_ = dir_.Sub("data");
  const std::string fresh_ = dir_.Sub("fresh");
  const std::string backup_ = dir_.Sub("backup");
  std::string last_output_;
};

TEST_F(Backup, RestoredSuiteGivesTheSameAssessment) {
  ASSERT_EQ(Peelctl("up --data_dir=" + data_), 0) << last_output_;
  Load(data_);
  if (HasFatalFailure()) return;
  const std::string before = Assessment(data_);
  ASSERT_GT(before.size(), 1000u);

  std::string out;
  ASSERT_EQ(
      Peelctl(absl::StrCat("backup --data_dir=", data_, " --out=", backup_),
              &out),
      0)
      << out;
  EXPECT_NE(out.find("crime-recording"), std::string::npos) << out;
  for (const char* s : {"crime-recording", "victim-service", "workforce",
                        "soc-disruptions", "gateway"}) {
    EXPECT_TRUE(
        std::filesystem::exists(absl::StrCat(backup_, "/", s, "/CURRENT")))
        << s;
  }
  // Into a folder that exists: refused.
  EXPECT_EQ(
      Peelctl(absl::StrCat("backup --data_dir=", data_, " --out=", backup_)), 1)
      << last_output_;
  // Writes after the backup are not in it.
  {
    auto stub = gw::AssessmentGateway::NewStub(Channel(data_, "gateway"));
    gw::RecordJudgmentRequest req;
    auto* j = req.mutable_judgment();
    j->set_judgment_id("met-2122-after-backup");
    j->set_force("metropolitan");
    j->set_area(gw::PREVENTING_CRIME);
    j->set_grade(peel::common::v1::GOOD);
    j->set_summary("recorded after the backup");
    j->set_judged_on("2022-09-02");
    j->set_source("test");
    j->mutable_period()->set_start_date("2021-04-01");
    j->mutable_period()->set_end_date("2022-06-30");
    gw::RecordResponse resp;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub->RecordJudgment(&ctx, req, &resp).ok());
  }
  EXPECT_NE(Assessment(data_), before);

  // Restore refuses a running suite's data folder, then works on a fresh one.
  EXPECT_NE(
      Peelctl(absl::StrCat("restore --data_dir=", data_, " --from=", backup_)),
      0);
  ASSERT_EQ(Peelctl("down --data_dir=" + data_), 0) << last_output_;
  EXPECT_NE(
      Peelctl(absl::StrCat("restore --data_dir=", data_, " --from=", backup_)),
      0)
      << "restored over existing stores";
  ASSERT_EQ(
      Peelctl(absl::StrCat("restore --data_dir=", fresh_, " --from=", backup_),
              &out),
      0)
      << out;
  ASSERT_EQ(Peelctl("up --data_dir=" + fresh_), 0) << last_output_;
  const std::string after = Assessment(fresh_);
  EXPECT_TRUE(after == before) << "assessments differ after restore";
}

TEST_F(Backup, AdminCheckpointValidatesItsFolder) {
  ASSERT_EQ(Peelctl("up --data_dir=" + data_), 0) << last_output_;
  auto stub = peel::admin::v1::Admin::NewStub(Channel(data_, "workforce"));
  for (const std::string& dir : {std::string(""), std::string("relative/dir"),
                                 data_, dir_.Sub("no/such/parent")}) {
    peel::admin::v1::CreateCheckpointRequest req;
    req.set_dir(dir);
    peel::admin::v1::CreateCheckpointResponse resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub->CreateCheckpoint(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << dir;
    EXPECT_NE(s.error_message().find("dir"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("no")));
}

}  // namespace
}  // namespace peel::peelctl
