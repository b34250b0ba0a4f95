// Sharding without a cluster (issue 8 item 5): every store service
// (crime-recording, victim-service, workforce, soc-disruptions) runs as two
// shards split as k8s/components/sharded splits them, behind a gateway given
// the component's shard maps; the national demo data set (peel-demo) goes in
// through `peelctl import --shard_map=...`, which routes each record by its
// force. An unsharded suite (`peelctl up`) gets the same imports. Then:
//   - each shard, asked directly, holds exactly the records of the forces
//     its map gives it, with the same figures as the unsharded service;
//   - the gateway's assessment of every force and every national
//     comparison equal those of the unsharded suite.
// The shard maps are read from components/sharded/kustomization.yaml (the
// gateway's FLAGS_<service>_addr values there), the pods' addresses
// replaced by the processes'.
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/reference/forces.h"
#include "common/server/shard_map.h"
#include "common/testing/server_bin.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration-tests/demo/suite_driver.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"

namespace {

namespace cr = ::peel::crimerecording::v1;
namespace gw = ::peel::gateway::v1;
namespace soc = ::peel::soc::v1;
namespace vs = ::peel::victimservice::v1;
namespace wf = ::peel::workforce::v1;
using peel::demo::testing::CommandResult;
using peel::demo::testing::ImportLine;
using peel::demo::testing::RunCommand;
using peel::server::ShardSpec;
using peel::testing::ServerBin;
using peel::testing::ServerProcess;
using Clock = std::chrono::system_clock;

struct StoreService {
  std::string name;    // suite folder and manifest name
  std::string flag;    // the gateway's address flag
  std::string health;  // the gRPC service name
  std::string bin;
};

std::vector<StoreService> StoreServices() {
  return {
      {"crime-recording", "crime_recording_addr",
       "peel.crimerecording.v1.CrimeRecordingService",
       ServerBin("PEEL_CRIME_RECORDING_BIN", PEEL_CRIME_RECORDING_BIN_PATH)},
      {"victim-service", "victim_service_addr",
       "peel.victimservice.v1.VictimService",
       ServerBin("PEEL_VICTIM_SERVICE_BIN", PEEL_VICTIM_SERVICE_BIN_PATH)},
      {"workforce", "workforce_addr", "peel.workforce.v1.WorkforceService",
       ServerBin("PEEL_WORKFORCE_BIN", PEEL_WORKFORCE_BIN_PATH)},
      {"soc-disruptions", "soc_disruptions_addr",
       "peel.soc.v1.SocDisruptionService",
       ServerBin("PEEL_SOC_DISRUPTIONS_BIN", PEEL_SOC_DISRUPTIONS_BIN_PATH)},
  };
}

// The value of FLAGS_<flag> in components/sharded, parsed as the gateway
// parses it.
absl::StatusOr<std::vector<ShardSpec>> ManifestShardMap(
    const std::string& flag) {
  const std::string path = ServerBin("PEEL_K8S_DIR", PEEL_K8S_DIR_PATH) +
                           "/components/sharded/kustomization.yaml";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::regex entry("name: FLAGS_" + flag + "\\s*\\n\\s*value: (\\S+)");
  std::smatch m;
  const std::string s = text.str();
  if (!std::regex_search(s, m, entry)) {
    return absl::NotFoundError(
        absl::StrCat("no FLAGS_", flag, " value in ", path));
  }
  return peel::server::ParseShardSpecs(m[1].str(), flag);
}

// `map` with shard i's address replaced by `addresses[i]`.
std::string WithAddresses(const std::vector<ShardSpec>& map,
                          const std::vector<std::string>& addresses) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < map.size(); ++i) {
    parts.push_back(map[i].forces.empty()
                        ? addresses[i]
                        : absl::StrCat(absl::StrJoin(map[i].forces, "+"), "@",
                                       addresses[i]));
  }
  return absl::StrJoin(parts, ",");
}

peel::common::v1::Period MakePeriod(const char* start, const char* end) {
  peel::common::v1::Period p;
  p.set_start_date(start);
  p.set_end_date(end);
  return p;
}

// The reference report's period (disruptions: the year to 30 June 2022).
peel::common::v1::Period Peel2122() {
  return MakePeriod("2021-04-01", "2022-06-30");
}

template <typename T>
std::string Diff(const T& a, const T& b) {
  google::protobuf::util::MessageDifferencer d;
  std::string report;
  d.ReportDifferencesToString(&report);
  return d.Compare(a, b) ? "" : report;
}

void SetDeadline(grpc::ClientContext* ctx) {
  ctx->set_deadline(Clock::now() + std::chrono::seconds(20));
}

// Everything is started and loaded once: it is the expensive part.
struct Suites {
  peel::testing::TempDir dir{"k8s-sharding"};
  std::string peelctl = ServerBin("PEEL_PEELCTL_BIN", PEEL_PEELCTL_BIN_PATH);
  std::string demo_dir = dir.Sub("demo");
  std::string plain_dir = dir.Sub("unsharded");
  std::vector<StoreService> services = StoreServices();
  std::map<std::string, std::vector<ShardSpec>> maps;  // by service
  // shards[service][i]: shard i of the map.
  std::map<std::string, std::vector<std::unique_ptr<ServerProcess>>> shards;
  std::unique_ptr<ServerProcess> gateway;
  std::string setup_error;
  std::vector<ImportLine> sharded_imports, plain_imports;
  std::shared_ptr<grpc::Channel> plain_gateway, sharded_gateway;
};
Suites* suites = nullptr;

class Sharding : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suites = new Suites;
    suites->setup_error = SetUp_(suites);
  }
  static void TearDownTestSuite() {
    RunCommand(suites->peelctl + " down --data_dir=" + suites->plain_dir);
    delete suites;
    suites = nullptr;
  }
  void SetUp() override { ASSERT_EQ(suites->setup_error, ""); }

  static std::string SetUp_(Suites* s);
  static std::string StartSharded(Suites* s);
  static std::string Import(Suites* s);

 public:
  static std::shared_ptr<grpc::Channel> Shard(const std::string& service,
                                              size_t i) {
    return grpc::CreateChannel(suites->shards[service][i]->address(),
                               grpc::InsecureChannelCredentials());
  }
  static std::shared_ptr<grpc::Channel> Plain(const std::string& service) {
    return grpc::CreateChannel(
        peel::demo::testing::AddressOf(suites->plain_dir, service),
        grpc::InsecureChannelCredentials());
  }
  // Shard index owning `force` in `service`'s map.
  static int Owner(const std::string& service, const std::string& force) {
    return peel::server::ShardOwning(suites->maps[service], force);
  }
};

std::string Sharding::StartSharded(Suites* s) {
  std::vector<std::string> gateway_flags = {
      "--policy=" + ServerBin("PEEL_GATEWAY_POLICY", PEEL_GATEWAY_POLICY_PATH),
      "--health_interval_ms=200"};
  for (const StoreService& svc : s->services) {
    auto map = ManifestShardMap(svc.flag);
    if (!map.ok()) return std::string(map.status().message());
    if (map->size() != 2) {
      return absl::StrCat(svc.flag, ": ", map->size(),
                          " shards in components/sharded, expected 2");
    }
    s->maps[svc.name] = *map;
    std::vector<std::string> addresses;
    for (size_t i = 0; i < map->size(); ++i) {
      const std::string name = absl::StrCat(svc.name, "-", i);
      std::filesystem::create_directories(s->dir.Sub("work/" + name));
      auto p = ServerProcess::Start({svc.bin,
                                     svc.health,
                                     s->dir.Sub("sharded/" + name),
                                     s->dir.Sub("work/" + name),
                                     {}});
      if (!p.ok()) return absl::StrCat(name, ": ", p.status().ToString());
      addresses.push_back((*p)->address());
      s->shards[svc.name].push_back(std::move(*p));
    }
    gateway_flags.push_back(
        absl::StrCat("--", svc.flag, "=", WithAddresses(*map, addresses)));
  }
  std::filesystem::create_directories(s->dir.Sub("work/gateway"));
  auto g = ServerProcess::Start(
      {ServerBin("PEEL_GATEWAY_BIN", PEEL_GATEWAY_BIN_PATH),
       "peel.gateway.v1.AssessmentGateway", s->dir.Sub("sharded/gateway"),
       s->dir.Sub("work/gateway"), gateway_flags});
  if (!g.ok()) return absl::StrCat("gateway: ", g.status().ToString());
  s->gateway = std::move(*g);
  return "";
}

// Every imports.txt line into both suites: the unsharded one by its data
// folder, the sharded one with --shard_map (the component's map, or the
// sharded gateway's address for the gateway's own kinds).
std::string Sharding::Import(Suites* s) {
  // The service of each kind, as `peelctl kinds` names it.
  CommandResult kinds = RunCommand(s->peelctl + " kinds");
  std::map<std::string, std::string> service_of;
  const std::regex kind_line(R"(^  (\S+) .*\[(\S+)\]$)");
  std::istringstream lines(kinds.output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, kind_line)) service_of[m[1]] = m[2];
  }
  s->plain_imports = peel::demo::testing::ReadManifest(s->demo_dir);
  if (s->plain_imports.empty()) return "the demo wrote no imports.txt";
  s->sharded_imports = s->plain_imports;
  peel::demo::testing::ImportAll(s->peelctl, s->plain_dir, s->demo_dir,
                                 &s->plain_imports);
  const std::regex counts(
      R"((\d+) rows, (\d+) accepted, (\d+) duplicate, (\d+) rejected)");
  for (ImportLine& l : s->sharded_imports) {
    const auto it = service_of.find(l.kind);
    if (it == service_of.end()) return "`peelctl kinds` lacks " + l.kind;
    std::string map;
    if (it->second == "gateway") {
      map = s->gateway->address();
    } else {
      std::vector<std::string> addresses;
      for (const auto& p : s->shards[it->second]) {
        addresses.push_back(p->address());
      }
      map = WithAddresses(s->maps[it->second], addresses);
    }
    CommandResult r =
        RunCommand(s->peelctl + " import --quiet --shard_map=" + map + " " +
                   l.flags + " " + l.kind + " " + s->demo_dir + "/" + l.file);
    l.exit_code = r.exit_code;
    l.output = r.output;
    std::smatch m;
    if (std::regex_search(r.output, m, counts)) {
      l.rows = std::stoll(m[1]);
      l.accepted = std::stoll(m[2]);
      l.duplicates = std::stoll(m[3]);
      l.rejected = std::stoll(m[4]);
    }
  }
  return "";
}

std::string Sharding::SetUp_(Suites* s) {
  CommandResult demo =
      RunCommand(ServerBin("PEEL_DEMO_BIN", PEEL_DEMO_BIN_PATH) +
                 std::string(" --out=") + s->demo_dir);
  if (demo.exit_code != 0) return "peel-demo failed:\n" + demo.output;
  CommandResult up =
      RunCommand(s->peelctl + " up --data_dir=" + s->plain_dir +
                 " --bin_dir=" + ServerBin("PEEL_BIN_DIR", PEEL_BIN_DIR_PATH));
  if (up.exit_code != 0) return "peelctl up failed:\n" + up.output;
  std::string error = StartSharded(s);
  if (!error.empty()) return error;
  error = Import(s);
  if (!error.empty()) return error;
  s->plain_gateway = grpc::CreateChannel(
      peel::demo::testing::AddressOf(s->plain_dir, "gateway"),
      grpc::InsecureChannelCredentials());
  s->sharded_gateway = grpc::CreateChannel(s->gateway->address(),
                                           grpc::InsecureChannelCredentials());
  return "";
}

// The component splits every service the same way, both shards own forces,
// and every PEEL force has exactly one owner (ParseShardSpecs refuses two).
TEST_F(Sharding, ComponentMapsSplitTheForces) {
  for (const StoreService& svc : suites->services) {
    const auto& map = suites->maps[svc.name];
    std::vector<int> owned(map.size(), 0);
    for (const auto& f : peel::reference::AllForces()) {
      const int o = Owner(svc.name, std::string(f.slug));
      ASSERT_GE(o, 0) << svc.name << ": no shard owns " << f.slug;
      ++owned[o];
    }
    for (size_t i = 0; i < map.size(); ++i) {
      EXPECT_GT(owned[i], 0) << svc.name << " shard " << i << " owns nothing";
    }
    EXPECT_EQ(map[0].forces, suites->maps["crime-recording"][0].forces)
        << svc.name << " is split unlike crime-recording";
  }
}

// Every line loads in full through the shard map, as it does unsharded.
TEST_F(Sharding, EveryImportRoutedAndAccepted) {
  ASSERT_EQ(suites->sharded_imports.size(), suites->plain_imports.size());
  int64_t total = 0;
  for (size_t i = 0; i < suites->sharded_imports.size(); ++i) {
    const ImportLine& a = suites->plain_imports[i];
    const ImportLine& b = suites->sharded_imports[i];
    const std::string what = b.kind + " " + b.file + " " + b.flags;
    EXPECT_EQ(a.exit_code, 0) << "unsharded " << what << ":\n" << a.output;
    EXPECT_EQ(b.exit_code, 0) << "sharded " << what << ":\n" << b.output;
    EXPECT_GT(b.rows, 0) << what << ":\n" << b.output;
    EXPECT_EQ(b.accepted, b.rows) << what << ":\n" << b.output;
    EXPECT_EQ(b.accepted, a.accepted) << what;
    total += b.accepted;
  }
  // peel-demo writes the national set: 158,860 records.
  EXPECT_GT(total, 150000);
}

// Shard i's answer lists exactly the forces it owns that the unsharded
// service lists, each with the unsharded figures (`local` clears the fields
// that compare a force with the others on the same server).
template <typename Answer, typename Clear>
void ExpectSplit(const std::string& service, const Answer& plain,
                 const std::vector<Answer>& shards, Clear local) {
  std::map<std::string, std::string> expected;  // force -> serialized
  for (auto f : plain.forces()) {
    local(&f);
    expected[f.force()] = f.SerializeAsString();
  }
  ASSERT_GE(expected.size(), 40u) << service << ": the unsharded answer has "
                                  << expected.size() << " forces";
  size_t seen = 0;
  for (size_t i = 0; i < shards.size(); ++i) {
    std::set<std::string> owned_expected, got;
    for (const auto& [force, _] : expected) {
      if (peel::server::ShardOwning(suites->maps[service], force) ==
          static_cast<int>(i)) {
        owned_expected.insert(force);
      }
    }
    for (auto f : shards[i].forces()) {
      got.insert(f.force());
      local(&f);
      const auto it = expected.find(f.force());
      ASSERT_NE(it, expected.end()) << service << " shard " << i << " has "
                                    << f.force() << ", unknown unsharded";
      auto want = f;
      want.ParseFromString(it->second);
      EXPECT_EQ(Diff(want, f), "")
          << service << " shard " << i << ": " << f.force();
    }
    EXPECT_EQ(got, owned_expected)
        << service << " shard " << i << " holds other forces than its own";
    EXPECT_FALSE(got.empty()) << service << " shard " << i << " is empty";
    seen += got.size();
  }
  EXPECT_EQ(seen, expected.size()) << service;
}

// For every force, its records as listed by the shard owning it are those
// the unsharded service lists, and the other shard lists none of them.
// `list(channel, force)` lists one force's records on one server; every
// record of `kind` imported is listed.
template <typename List>
void ExpectRecordsOwned(const std::string& service, const std::string& kind,
                        List list) {
  size_t records = 0;
  for (const auto& f : peel::reference::AllForces()) {
    const std::string force(f.slug);
    const auto plain = list(Sharding::Plain(service), force);
    records += plain.size();
    const int owner = peel::server::ShardOwning(suites->maps[service], force);
    for (size_t i = 0; i < suites->shards[service].size(); ++i) {
      const auto got = list(Sharding::Shard(service, i), force);
      if (static_cast<int>(i) != owner) {
        EXPECT_TRUE(got.empty())
            << service << " shard " << i << " holds " << got.size()
            << " records of " << force << ", which shard " << owner << " owns";
        continue;
      }
      std::multiset<std::string> a, b;
      for (const auto& r : plain) a.insert(r.SerializeAsString());
      for (const auto& r : got) b.insert(r.SerializeAsString());
      EXPECT_TRUE(a == b) << service << " shard " << i << " lists "
                          << got.size() << " records of " << force << ", "
                          << plain.size() << " unsharded";
    }
  }
  int64_t imported = 0;
  for (const ImportLine& l : suites->plain_imports) {
    if (l.kind == kind) imported += l.accepted;
  }
  EXPECT_GT(imported, 0) << kind;
  EXPECT_EQ(static_cast<int64_t>(records), imported) << service << " " << kind;
}

TEST_F(Sharding, CrimeRecordingShardsHoldOnlyTheirForces) {
  const std::string svc = "crime-recording";
  auto national = [](std::shared_ptr<grpc::Channel> ch) {
    cr::GetNationalRecordingRatesRequest req;
    *req.mutable_period() = Peel2122();
    cr::NationalRecordingRates out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st =
        cr::CrimeRecordingService::NewStub(ch)->GetNationalRecordingRates(
            &ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  auto audits = [](std::shared_ptr<grpc::Channel> ch,
                   const std::string& force) {
    cr::ListAuditsRequest req;
    req.set_force(force);
    cr::ListAuditsResponse out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st =
        cr::CrimeRecordingService::NewStub(ch)->ListAudits(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return std::vector<cr::Audit>(out.audits().begin(), out.audits().end());
  };
  ExpectSplit(svc, national(Plain(svc)),
              {national(Shard(svc, 0)), national(Shard(svc, 1))},
              [](cr::ForceRecordingRate*) {});
  ExpectRecordsOwned(svc, "audits", audits);
}

TEST_F(Sharding, VictimServiceShardsHoldOnlyTheirForces) {
  const std::string svc = "victim-service";
  auto national = [](std::shared_ptr<grpc::Channel> ch) {
    vs::GetNationalCallHandlingRequest req;
    *req.mutable_period() = MakePeriod("2021-04-01", "2022-03-31");
    vs::NationalCallHandling out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st = vs::VictimService::NewStub(ch)->GetNationalCallHandling(
        &ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  auto assessments = [](std::shared_ptr<grpc::Channel> ch,
                        const std::string& force) {
    vs::ListAssessmentsRequest req;
    req.set_force(force);
    vs::ListAssessmentsResponse out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st =
        vs::VictimService::NewStub(ch)->ListAssessments(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return std::vector<vs::Assessment>(out.assessments().begin(),
                                       out.assessments().end());
  };
  ExpectSplit(svc, national(Plain(svc)),
              {national(Shard(svc, 0)), national(Shard(svc, 1))},
              [](vs::ForceCallHandling* f) {
                f->clear_emergency_z();
                f->clear_emergency_position();
                f->clear_abandonment_z();
                f->clear_abandonment_position();
              });
  ExpectRecordsOwned(svc, "assessments", assessments);
}

TEST_F(Sharding, WorkforceShardsHoldOnlyTheirForces) {
  const std::string svc = "workforce";
  auto national = [](std::shared_ptr<grpc::Channel> ch) {
    wf::GetNationalWorkforceRequest req;
    req.set_as_of("2022-03-31");
    wf::NationalWorkforce out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st = wf::WorkforceService::NewStub(ch)->GetNationalWorkforce(
        &ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  ExpectSplit(svc, national(Plain(svc)),
              {national(Shard(svc, 0)), national(Shard(svc, 1))},
              [](wf::ForceHeadlines* f) {
                f->clear_ethnic_minority_z();
                f->clear_ethnic_minority_position();
              });
}

TEST_F(Sharding, SocDisruptionsShardsHoldOnlyTheirForces) {
  const std::string svc = "soc-disruptions";
  auto national = [](std::shared_ptr<grpc::Channel> ch) {
    soc::GetNationalDisruptionsRequest req;
    *req.mutable_period() = MakePeriod("2021-07-01", "2022-06-30");
    soc::NationalDisruptions out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    grpc::Status st =
        soc::SocDisruptionService::NewStub(ch)->GetNationalDisruptions(
            &ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  auto groups = [](std::shared_ptr<grpc::Channel> ch,
                   const std::string& force) {
    soc::ListGroupsRequest req;
    req.set_force(force);
    std::vector<soc::OrganisedCrimeGroup> out;
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    auto reader = soc::SocDisruptionService::NewStub(ch)->ListGroups(&ctx, req);
    for (soc::OrganisedCrimeGroup g; reader->Read(&g);) out.push_back(g);
    grpc::Status st = reader->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  ExpectSplit(svc, national(Plain(svc)),
              {national(Shard(svc, 0)), national(Shard(svc, 1))},
              [](soc::ForceDisruptions* f) {
                f->clear_z();
                f->clear_position();
              });
  ExpectRecordsOwned(svc, "groups", groups);
}

// The gateway through the shard maps answers as over the unsharded suite:
// every force's assessment and every national comparison.
TEST_F(Sharding, GatewayAnswersAsTheUnshardedOne) {
  auto plain = gw::AssessmentGateway::NewStub(suites->plain_gateway);
  auto sharded = gw::AssessmentGateway::NewStub(suites->sharded_gateway);

  gw::ListMetricsResponse metrics;
  {
    grpc::ClientContext ctx;
    SetDeadline(&ctx);
    ASSERT_TRUE(plain->ListMetrics(&ctx, {}, &metrics).ok());
  }
  std::set<gw::Backend> sources;
  int compared = 0;
  for (const auto& m : metrics.metrics()) {
    if (!m.nationally_comparable()) continue;
    gw::CompareForcesRequest req;
    req.set_metric(m.id());
    *req.mutable_period() = Peel2122();
    gw::ForceComparison a, b;
    grpc::ClientContext ca, cb;
    SetDeadline(&ca);
    SetDeadline(&cb);
    grpc::Status sa = plain->CompareForces(&ca, req, &a);
    grpc::Status sb = sharded->CompareForces(&cb, req, &b);
    ASSERT_TRUE(sa.ok()) << m.id() << ": " << sa.error_message();
    ASSERT_TRUE(sb.ok()) << m.id() << ": " << sb.error_message() << "\n"
                         << suites->gateway->Log();
    EXPECT_GE(a.forces_size(), 40) << m.id();
    // Where the data came from differs (one backend or two), the figures
    // not.
    for (auto* c : {&a, &b}) {
      c->clear_versions();
      c->clear_from_cache();
    }
    EXPECT_EQ(Diff(a, b), "") << m.id();
    sources.insert(m.source());
    ++compared;
  }
  EXPECT_GE(compared, 7);
  EXPECT_EQ(sources.size(), 4u) << "comparisons do not cover every store";

  int assessed = 0;
  for (const auto& f : peel::reference::AllForces()) {
    if (!f.in_peel_scope) continue;
    gw::GetForceAssessmentRequest req;
    req.set_force(std::string(f.slug));
    *req.mutable_period() = Peel2122();
    gw::ForceAssessment x, y;
    grpc::ClientContext cx, cy;
    SetDeadline(&cx);
    SetDeadline(&cy);
    grpc::Status sx = plain->GetForceAssessment(&cx, req, &x);
    grpc::Status sy = sharded->GetForceAssessment(&cy, req, &y);
    ASSERT_TRUE(sx.ok()) << f.slug << ": " << sx.error_message();
    ASSERT_TRUE(sy.ok()) << f.slug << ": " << sy.error_message() << "\n"
                         << suites->gateway->Log();
    EXPECT_EQ(x.areas_size(), 11) << f.slug;
    x.clear_backends();
    y.clear_backends();
    EXPECT_EQ(Diff(x, y), "") << f.slug;
    ++assessed;
  }
  EXPECT_EQ(assessed, 43);
}

}  // namespace
