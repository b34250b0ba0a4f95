// Sharding without a cluster: crime-recording as two shards, each loaded
// with the audits of the forces the `sharded` component's shard map gives it
// (routed by force here, as a loader must), and a gateway given that map.
// Its national comparison and force assessments must equal those of a
// gateway over one unsharded crime-recording holding the same audits.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace {

namespace cr = ::peel::crimerecording::v1;
namespace gw = ::peel::gateway::v1;
using peel::testing::ServerProcess;

constexpr char kCrimeRecording[] =
    "peel.crimerecording.v1.CrimeRecordingService";
constexpr char kGateway[] = "peel.gateway.v1.AssessmentGateway";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v != nullptr) return v;
  const std::string n = name;
  if (n == "PEEL_CRIME_RECORDING_BIN") return PEEL_CRIME_RECORDING_BIN_PATH;
  if (n == "PEEL_GATEWAY_BIN") return PEEL_GATEWAY_BIN_PATH;
  if (n == "PEEL_GATEWAY_POLICY") return PEEL_GATEWAY_POLICY_PATH;
  if (n == "PEEL_K8S_DIR") return PEEL_K8S_DIR_PATH;
  return "";
}

peel::common::v1::Period Peel2122() {
  peel::common::v1::Period p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-06-30");
  return p;
}

// The forces shard 0 owns in k8s/components/sharded (FLAGS_crime_recording_
// addr's first shard); shard 1 owns the rest.
std::set<std::string> Shard0Forces() {
  std::ifstream in(Env("PEEL_K8S_DIR") +
                   "/components/sharded/kustomization.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const size_t flag = s.find("FLAGS_crime_recording_addr");
  const size_t value = s.find("value: ", flag);
  if (flag == std::string::npos || value == std::string::npos) return {};
  const std::string map = s.substr(value + 7, s.find('\n', value) - value - 7);
  const std::string first = map.substr(0, map.find('@'));
  std::vector<std::string> forces = absl::StrSplit(first, '+');
  return {forces.begin(), forces.end()};
}

// Five forces of shard 0 and three of shard 1, each audit the Met fixture's
// incidents from a different offset, so every force has its own rate.
const std::vector<std::pair<std::string, int>> kAudits = {
    {"metropolitan", 0},
    {"kent", 40},
    {"essex", 90},
    {"surrey", 150},
    {"sussex", 210},
    {"west-yorkshire", 60},
    {"greater-manchester", 120},
    {"northumbria", 180}};

class Sharding : public ::testing::Test {
 protected:
  std::unique_ptr<ServerProcess> StartStore(const std::string& name) {
    auto p = ServerProcess::Start({Env("PEEL_CRIME_RECORDING_BIN"),
                                   kCrimeRecording,
                                   dir_.Sub(name + "-data"),
                                   Work(name),
                                   {}});
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? std::move(*p) : nullptr;
  }
  std::unique_ptr<ServerProcess> StartGateway(const std::string& name,
                                              const std::string& addr) {
    auto p = ServerProcess::Start({Env("PEEL_GATEWAY_BIN"),
                                   kGateway,
                                   dir_.Sub(name + "-data"),
                                   Work(name),
                                   {"--crime_recording_addr=" + addr,
                                    "--policy=" + Env("PEEL_GATEWAY_POLICY"),
                                    "--health_interval_ms=200"}});
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? std::move(*p) : nullptr;
  }
  std::string Work(const std::string& name) {
    std::filesystem::create_directories(dir_.Sub(name));
    return dir_.Sub(name);
  }

  static void LoadAudit(ServerProcess* store, const std::string& force,
                        int skip) {
    auto stub = cr::CrimeRecordingService::NewStub(grpc::CreateChannel(
        store->address(), grpc::InsecureChannelCredentials()));
    const std::string id = force + "-2021h2";
    cr::CreateAuditRequest req;
    *req.mutable_audit() = peel::crimerecording::testing::MetAudit();
    req.mutable_audit()->set_force(force);
    req.mutable_audit()->set_audit_id(id);
    cr::Audit resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    ASSERT_TRUE(stub->CreateAudit(&ctx, req, &resp).ok());
    auto incidents = peel::crimerecording::testing::MetIncidents();
    incidents.erase(incidents.begin(), incidents.begin() + skip);
    auto batches = peel::crimerecording::testing::Batches(incidents, 200);
    for (auto& b : batches) b.set_audit_id(id);
    auto acks = peel::testing::SendBatches<cr::AuditedIncidentBatch>(
        [&](grpc::ClientContext* c) { return stub->IngestAuditedIncidents(c); },
        batches);
    ASSERT_TRUE(acks.ok()) << acks.status();
  }

  peel::testing::TempDir dir_;
};

std::string Diff(const google::protobuf::Message& a,
                 const google::protobuf::Message& b) {
  google::protobuf::util::MessageDifferencer d;
  std::string report;
  d.ReportDifferencesToString(&report);
  return d.Compare(a, b) ? "" : report;
}

TEST_F(Sharding, ShardedGatewayAnswersAsTheUnshardedOne) {
  ASSERT_FALSE(Env("PEEL_CRIME_RECORDING_BIN").empty());
  ASSERT_FALSE(Env("PEEL_GATEWAY_BIN").empty());
  const std::set<std::string> shard0 = Shard0Forces();
  ASSERT_GT(shard0.size(), 10u) << "no shard map in k8s/components/sharded";

  auto whole = StartStore("whole");
  auto s0 = StartStore("shard0");
  auto s1 = StartStore("shard1");
  ASSERT_TRUE(whole && s0 && s1);
  int in_shard0 = 0;
  for (const auto& [force, skip] : kAudits) {
    LoadAudit(whole.get(), force, skip);
    const bool zero = shard0.count(force) > 0;
    in_shard0 += zero;
    LoadAudit(zero ? s0.get() : s1.get(), force, skip);
  }
  ASSERT_GT(in_shard0, 0);
  ASSERT_LT(in_shard0, static_cast<int>(kAudits.size()));

  // The manifest's map with the pods' addresses replaced by the processes'.
  const std::string map = absl::StrCat(absl::StrJoin(shard0, "+"), "@",
                                       s0->address(), ",", s1->address());
  auto plain = StartGateway("gw-whole", whole->address());
  auto sharded = StartGateway("gw-sharded", map);
  ASSERT_TRUE(plain && sharded);
  auto plain_stub = gw::AssessmentGateway::NewStub(grpc::CreateChannel(
      plain->address(), grpc::InsecureChannelCredentials()));
  auto sharded_stub = gw::AssessmentGateway::NewStub(grpc::CreateChannel(
      sharded->address(), grpc::InsecureChannelCredentials()));

  auto call = [](auto* stub, auto method, const auto& req, auto* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    return (stub->*method)(&ctx, req, resp);
  };

  gw::CompareForcesRequest compare;
  compare.set_metric("crime_recording.rate");
  *compare.mutable_period() = Peel2122();
  gw::ForceComparison a, b;
  ASSERT_TRUE(call(plain_stub.get(),
                   &gw::AssessmentGateway::Stub::CompareForces, compare, &a)
                  .ok());
  grpc::Status s =
      call(sharded_stub.get(), &gw::AssessmentGateway::Stub::CompareForces,
           compare, &b);
  ASSERT_TRUE(s.ok()) << s.error_message() << sharded->Log();
  EXPECT_EQ(a.forces_size(), static_cast<int>(kAudits.size()));
  // Where the data came from differs (one backend or two), the figures not.
  a.clear_versions();
  b.clear_versions();
  a.clear_from_cache();
  b.clear_from_cache();
  EXPECT_EQ(Diff(a, b), "");

  gw::ForceAssessment previous;
  for (const auto& [force, skip] : kAudits) {
    gw::GetForceAssessmentRequest req;
    req.set_force(force);
    *req.mutable_period() = Peel2122();
    gw::ForceAssessment x, y;
    grpc::Status sx =
        call(plain_stub.get(), &gw::AssessmentGateway::Stub::GetForceAssessment,
             req, &x);
    ASSERT_TRUE(sx.ok()) << force << ": " << sx.error_message() << "\n"
                         << plain->Log()
                         << "exit on SIGTERM: " << plain->Terminate();
    grpc::Status sy =
        call(sharded_stub.get(),
             &gw::AssessmentGateway::Stub::GetForceAssessment, req, &y);
    ASSERT_TRUE(sy.ok()) << force << ": " << sy.error_message() << "\n"
                         << sharded->Log()
                         << "exit on SIGTERM: " << sharded->Terminate();
    x.clear_backends();
    y.clear_backends();
    EXPECT_EQ(Diff(x, y), "") << force;
    // Each force's own figures are in it (the audits differ by force).
    if (!previous.areas().empty()) {
      gw::ForceAssessment p = previous;
      *p.mutable_force() = x.force();
      EXPECT_NE(Diff(p, x), "") << force << " answers as the force before";
    }
    previous = x;
  }
}

}  // namespace
