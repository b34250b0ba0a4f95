// Authorisation (issue 10 item 6): every role against every method of every
// service, for two forces, over mutual TLS, the caller named once by its
// client certificate and once by a bearer token; exactly the allowed set
// passes, everything else is PERMISSION_DENIED, and no refused write
// changes any store. Without an identity: UNAUTHENTICATED.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "integration-tests/security/generic_call.h"
#include "integration-tests/security/security_fixture.h"
#include "peel/admin/v1/admin.grpc.pb.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"
#include "services/soc-disruptions/tests/met_fixture.h"
#include "services/victim-service/tests/met_fixture.h"

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using peel::security_testing::CallGeneric;
using peel::security_testing::Certs;
using peel::security_testing::RoleCredentials;
using peel::security_testing::ServerTlsArgs;

const std::vector<std::string> kRoles = {"inspector",
                                         "reader",
                                         "operator",
                                         "gateway",
                                         "force-analyst:metropolitan",
                                         "force-analyst:kent"};
const std::vector<std::string> kForces = {"metropolitan", "kent"};

// What each kind of method allows, written from the roles:
//   W store write: the force's analyst only
//   R store read: inspector, gateway, the force's analyst
//   N store-wide read: inspector, gateway
//   P published, of a force: reader, inspector, the force's analyst
//   A published, all forces: reader, inspector
//   J judgments: inspector
bool Allowed(char kind, const std::string& role, const std::string& force) {
  const bool own = role == "force-analyst:" + force;
  switch (kind) {
    case 'W':
      return own;
    case 'R':
      return role == "inspector" || role == "gateway" || own;
    case 'N':
      return role == "inspector" || role == "gateway";
    case 'P':
      return role == "reader" || role == "inspector" || own;
    case 'A':
      return role == "reader" || role == "inspector";
    case 'J':
      return role == "inspector";
  }
  return false;
}

struct ServiceUnderTest {
  std::string name;    // full service name
  std::string binary;  // built-in path
  std::map<std::string, char> methods;
};

std::vector<ServiceUnderTest> Services() {
  return {
      {"peel.crimerecording.v1.CrimeRecordingService",
       PEEL_CRIME_RECORDING_BIN_PATH,
       {{"CreateAudit", 'W'},
        {"GetAudit", 'R'},
        {"ListAudits", 'R'},
        {"IngestAuditedIncidents", 'W'},
        {"GetRecordingEstimate", 'R'},
        {"IngestCancellationReviews", 'W'},
        {"GetCancellationCompliance", 'R'},
        {"IngestIncidentLog", 'W'},
        {"DrawAuditSample", 'R'},
        {"GetNationalRecordingRates", 'N'},
        {"GetDataVersion", 'N'}}},
      {"peel.victimservice.v1.VictimService",
       PEEL_VICTIM_SERVICE_BIN_PATH,
       {{"CreateAssessment", 'W'},
        {"GetAssessment", 'R'},
        {"ListAssessments", 'R'},
        {"IngestCaseReviews", 'W'},
        {"GetCheckSummary", 'R'},
        {"IngestCallRecords", 'W'},
        {"IngestMonthlyCallAggregates", 'W'},
        {"GetCallHandlingSummary", 'R'},
        {"GetNationalCallHandling", 'N'},
        {"GetDataVersion", 'N'}}},
      {"peel.workforce.v1.WorkforceService",
       PEEL_WORKFORCE_BIN_PATH,
       {{"IngestPersonRecords", 'W'},
        {"IngestWellbeingEvents", 'W'},
        {"PutUpliftTarget", 'W'},
        {"PutPopulationReference", 'W'},
        {"GetPerson", 'R'},
        {"GetWorkforceProfile", 'R'},
        {"GetNationalWorkforce", 'N'},
        {"GetDataVersion", 'N'}}},
      {"peel.soc.v1.SocDisruptionService",
       PEEL_SOC_DISRUPTIONS_BIN_PATH,
       {{"RegisterGroup", 'W'},
        {"UpdateGroup", 'W'},
        {"GetGroup", 'R'},
        {"ListGroups", 'R'},
        {"IngestDisruptions", 'W'},
        {"GetDisruptionSummary", 'R'},
        {"GetOperationSummary", 'R'},
        {"StreamGroupHistory", 'R'},
        {"GetNationalDisruptions", 'N'},
        {"GetDataVersion", 'N'}}},
      {"peel.gateway.v1.AssessmentGateway",
       PEEL_GATEWAY_BIN_PATH,
       {{"GetForceAssessment", 'P'},
        {"CompareForces", 'A'},
        {"ListMetrics", 'A'},
        {"ListJudgments", 'P'},
        {"RecordJudgment", 'J'},
        {"RecordFinding", 'J'},
        {"RecordRecommendationStatus", 'J'},
        {"RecordMonitoringStatus", 'J'},
        {"GetDataVersion", 'N'}}},
  };
}

std::string SeedId(const std::string& field, const std::string& force) {
  return absl::StrCat("seed-", field, "-", force);
}

// A request naming `force` wherever the message has room for one: every
// `force` field, every record list given one record, and the records the
// seeds made referred to by id.
void Fill(Message* m, const std::string& force, int depth = 0) {
  const Descriptor* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING && !f->is_repeated()) {
      if (f->name() == "force") {
        r->SetString(m, f, force);
      } else if (f->name() == "audit_id" || f->name() == "assessment_id" ||
                 f->name() == "group_id") {
        r->SetString(m, f, SeedId(f->name(), force));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !f->is_map() && depth < 3 &&
               f->message_type()->file()->package().rfind("peel.", 0) == 0) {
      Fill(f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f),
           force, depth + 1);
    }
  }
}

std::unique_ptr<Message> RequestFor(const std::string& service,
                                    const std::string& method,
                                    const std::string& force) {
  const auto* sd =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          service);
  if (sd == nullptr) return nullptr;
  const auto* md = sd->FindMethodByName(method);
  if (md == nullptr) return nullptr;
  std::unique_ptr<Message> m(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(md->input_type())
          ->New());
  Fill(m.get(), force);
  return m;
}

bool Refused(grpc::StatusCode c) {
  return c == grpc::StatusCode::PERMISSION_DENIED ||
         c == grpc::StatusCode::UNAUTHENTICATED;
}

class Authz : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(Certs::Get().ok());
    auto key = peel::auth::ReadTokenKey(Certs::Get().main("auth-token.key"));
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = new std::string(*key);
    dir_ = new peel::testing::TempDir("peel-authz");
    servers_ = new std::map<std::string,
                            std::unique_ptr<peel::testing::ServerProcess>>();
    for (const ServiceUnderTest& s : Services()) {
      std::vector<std::string> args = ServerTlsArgs(/*mutual=*/true);
      args.push_back("--authz");
      args.push_back("--auth_token_key_file=" +
                     Certs::Get().main("auth-token.key"));
      args.push_back("--audit_log=audit.log");
      if (s.name == peel::security_testing::kGateway) {
        args.push_back("--policy=" + peel::security_testing::GatewayPolicy());
      }
      const std::string short_name = s.name.substr(s.name.rfind('.') + 1);
      (*servers_)[s.name] = peel::security_testing::StartServer(
          *dir_, short_name, s.binary, s.name, args,
          RoleCredentials("operator"));
      ASSERT_TRUE((*servers_)[s.name]) << s.name;
    }
    Seed();
  }
  static void TearDownTestSuite() {
    delete servers_;
    delete dir_;
    delete key_;
  }

  static std::string Token(const std::string& role) {
    return peel::auth::MintToken(
        *key_, {"test-" + role, role,
                absl::ToUnixSeconds(absl::Now() + absl::Hours(1))});
  }
  static std::shared_ptr<grpc::Channel> Channel(const std::string& service,
                                                const std::string& role) {
    return grpc::CreateChannel((*servers_)[service]->address(),
                               RoleCredentials(role));
  }

  // One audit, assessment and group per force, written by its analyst: the
  // records id-only requests refer to.
  static void Seed() {
    for (const std::string& force : kForces) {
      const std::string analyst = "force-analyst:" + force;
      peel::crimerecording::v1::CreateAuditRequest audit;
      *audit.mutable_audit() = peel::crimerecording::testing::MetAudit();
      audit.mutable_audit()->set_force(force);
      audit.mutable_audit()->set_audit_id(SeedId("audit_id", force));
      peel::victimservice::v1::CreateAssessmentRequest assessment;
      *assessment.mutable_assessment() =
          peel::victimservice::testing::MetAssessment();
      assessment.mutable_assessment()->set_force(force);
      assessment.mutable_assessment()->set_assessment_id(
          SeedId("assessment_id", force));
      peel::soc::v1::RegisterGroupRequest group;
      *group.mutable_group() = peel::soc::testing::MetGroups()[0];
      group.mutable_group()->set_force(force);
      group.mutable_group()->set_group_id(SeedId("group_id", force));
      for (const auto& [service, method, message] :
           std::vector<std::tuple<std::string, std::string, const Message*>>{
               {"peel.crimerecording.v1.CrimeRecordingService", "CreateAudit",
                &audit},
               {"peel.victimservice.v1.VictimService", "CreateAssessment",
                &assessment},
               {"peel.soc.v1.SocDisruptionService", "RegisterGroup", &group}}) {
        auto r = CallGeneric(Channel(service, analyst),
                             absl::StrCat("/", service, "/", method), *message);
        ASSERT_TRUE(r.status.ok()) << service << "/" << method << " for "
                                   << force << ": " << r.status.error_message();
      }
    }
  }

  static uint64_t DataVersion(const std::string& service) {
    auto channel = Channel(service, "inspector");
    grpc::GenericStub stub(channel);
    peel::common::v1::DataVersionRequest req;
    peel::common::v1::DataVersion v;
    // A typed unary call through the generic path: parse the one answer.
    grpc::CompletionQueue cq;
    grpc::ClientContext ctx;
    ctx.set_deadline(peel::security_testing::Deadline());
    const std::string bytes = req.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    auto call = stub.PrepareUnaryCall(
        &ctx, absl::StrCat("/", service, "/GetDataVersion"), in, &cq);
    call->StartCall();
    grpc::Status status;
    call->Finish(&out, &status, reinterpret_cast<void*>(1));
    void* tag;
    bool ok;
    cq.Next(&tag, &ok);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
    std::vector<grpc::Slice> slices;
    (void)out.Dump(&slices);
    std::string text;
    for (const auto& s : slices) {
      text.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    EXPECT_TRUE(v.ParseFromString(text));
    return v.version();
  }

  // Every (service, method, role, force) call whose expected outcome is
  // `allowed`; by certificate (`by_token` false) or bearer token (over the
  // operator's certificate, which the token overrides).
  static void RunMatrix(bool allowed, bool by_token) {
    int calls = 0;
    for (const ServiceUnderTest& s : Services()) {
      for (const auto& [method, kind] : s.methods) {
        for (const std::string& role : kRoles) {
          for (const std::string& force : kForces) {
            if (Allowed(kind, role, force) != allowed) continue;
            auto request = RequestFor(s.name, method, force);
            ASSERT_NE(request, nullptr) << s.name << "/" << method;
            auto r = by_token
                         ? CallGeneric(Channel(s.name, "operator"),
                                       absl::StrCat("/", s.name, "/", method),
                                       *request, Token(role))
                         : CallGeneric(Channel(s.name, role),
                                       absl::StrCat("/", s.name, "/", method),
                                       *request);
            ++calls;
            if (allowed) {
              EXPECT_FALSE(Refused(r.status.error_code()))
                  << role << " -> " << s.name << "/" << method << " (" << force
                  << "): " << r.status.error_code() << " "
                  << r.status.error_message();
            } else {
              EXPECT_EQ(r.status.error_code(),
                        grpc::StatusCode::PERMISSION_DENIED)
                  << role << " -> " << s.name << "/" << method << " (" << force
                  << "): " << r.status.error_message();
              EXPECT_EQ(r.responses, 0) << role << " -> " << method;
            }
          }
        }
      }
    }
    EXPECT_GT(calls, 100);
  }

  static std::string* key_;
  static peel::testing::TempDir* dir_;
  static std::map<std::string, std::unique_ptr<peel::testing::ServerProcess>>*
      servers_;
};

std::string* Authz::key_ = nullptr;
peel::testing::TempDir* Authz::dir_ = nullptr;
std::map<std::string, std::unique_ptr<peel::testing::ServerProcess>>*
    Authz::servers_ = nullptr;

TEST_F(Authz, TheTableCoversEveryMethod) {
  for (const ServiceUnderTest& s : Services()) {
    const auto* sd =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            s.name);
    ASSERT_NE(sd, nullptr) << s.name;
    EXPECT_EQ(sd->method_count(), static_cast<int>(s.methods.size())) << s.name;
    for (int i = 0; i < sd->method_count(); ++i) {
      EXPECT_EQ(s.methods.count(sd->method(i)->name()), 1u)
          << s.name << "/" << sd->method(i)->name() << " has no expectation";
    }
  }
}

TEST_F(Authz, RefusedCallsAreDeniedAndChangeNothing) {
  for (bool by_token : {false, true}) {
    std::map<std::string, uint64_t> before;
    for (const ServiceUnderTest& s : Services())
      before[s.name] = DataVersion(s.name);
    RunMatrix(/*allowed=*/false, by_token);
    for (const ServiceUnderTest& s : Services()) {
      EXPECT_EQ(DataVersion(s.name), before[s.name])
          << s.name << ": a refused call changed the store"
          << (by_token ? " (tokens)" : " (certificates)");
    }
  }
}

TEST_F(Authz, AllowedCallsPass) {
  RunMatrix(/*allowed=*/true, /*by_token=*/false);
  RunMatrix(/*allowed=*/true, /*by_token=*/true);
}

std::vector<google::protobuf::Struct> AuditLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<google::protobuf::Struct> out;
  std::string line;
  while (std::getline(in, line)) {
    google::protobuf::Struct s;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &s).ok())
        << line;
    out.push_back(std::move(s));
  }
  return out;
}

// Every server appends each write, allowed or refused, to its own audit
// log: one line per call, naming the caller's role, the force and outcome.
TEST_F(Authz, EveryServerAuditsWritesAllowedAndRefused) {
  const std::map<std::string, std::tuple<std::string, std::string, std::string>>
      writes = {
          // service -> method, allowed role, refused role
          {"peel.crimerecording.v1.CrimeRecordingService",
           {"IngestIncidentLog", "force-analyst:kent",
            "force-analyst:metropolitan"}},
          {"peel.victimservice.v1.VictimService",
           {"IngestCallRecords", "force-analyst:kent", "inspector"}},
          {"peel.workforce.v1.WorkforceService",
           {"PutUpliftTarget", "force-analyst:kent",
            "force-analyst:metropolitan"}},
          {"peel.soc.v1.SocDisruptionService",
           {"UpdateGroup", "force-analyst:kent", "gateway"}},
          {"peel.gateway.v1.AssessmentGateway",
           {"RecordJudgment", "inspector", "reader"}},
      };
  for (const auto& [service, w] : writes) {
    const auto& [method, allowed_role, refused_role] = w;
    const std::string short_name = service.substr(service.rfind('.') + 1);
    const std::string path = dir_->Sub(short_name + "-data/audit.log");
    const std::string full = absl::StrCat("/", service, "/", method);
    auto request = RequestFor(service, method, "kent");
    ASSERT_NE(request, nullptr);
    for (const std::string& role : {allowed_role, refused_role}) {
      const size_t before = AuditLines(path).size();
      auto r = CallGeneric(Channel(service, role), full, *request);
      const bool refused = role == refused_role;
      EXPECT_EQ(r.status.error_code() == grpc::StatusCode::PERMISSION_DENIED,
                refused)
          << role << " " << full << ": " << r.status.error_message();
      std::vector<google::protobuf::Struct> lines;
      for (int i = 0; i < 50; ++i) {  // the line follows the answer closely
        lines = AuditLines(path);
        if (lines.size() > before) break;
        absl::SleepFor(absl::Milliseconds(20));
      }
      ASSERT_EQ(lines.size(), before + 1) << full << " by " << role;
      const auto& f = lines.back().fields();
      EXPECT_EQ(f.at("method").string_value(), full);
      EXPECT_EQ(f.at("role").string_value(), role);
      EXPECT_EQ(
          f.at("caller").string_value().find("CN=" + role) != std::string::npos,
          true)
          << f.at("caller").string_value();
      ASSERT_EQ(f.at("forces").list_value().values_size(), 1) << full;
      EXPECT_EQ(f.at("forces").list_value().values(0).string_value(), "kent");
      EXPECT_EQ(f.at("code").string_value() == "PERMISSION_DENIED", refused)
          << full << " by " << role << ": " << f.at("code").string_value();
    }
  }
}

TEST_F(Authz, HealthForOperatorInspectorAndGatewayOnly) {
  for (const ServiceUnderTest& s : Services()) {
    for (const std::string& role : kRoles) {
      auto stub = grpc::health::v1::Health::NewStub(Channel(s.name, role));
      grpc::ClientContext ctx;
      ctx.set_deadline(peel::security_testing::Deadline());
      grpc::health::v1::HealthCheckRequest req;
      req.set_service(s.name);
      grpc::health::v1::HealthCheckResponse resp;
      grpc::Status st = stub->Check(&ctx, req, &resp);
      const bool allowed =
          role == "operator" || role == "inspector" || role == "gateway";
      if (allowed) {
        EXPECT_TRUE(st.ok()) << role << " " << s.name << st.error_message();
        EXPECT_EQ(resp.status(),
                  grpc::health::v1::HealthCheckResponse::SERVING);
      } else {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << role << " " << s.name;
      }
    }
  }
}

// peel.admin.v1.Admin, served by every server (peelctl backup): operator
// and inspector may take a checkpoint, every other role is refused and no
// checkpoint is written; by certificate and by bearer token.
TEST_F(Authz, CheckpointsForOperatorAndInspectorOnly) {
  const auto* admin =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "peel.admin.v1.Admin");
  ASSERT_NE(admin, nullptr);
  ASSERT_EQ(admin->method_count(), 2) << "a new Admin method needs its rule";
  ASSERT_NE(admin->FindMethodByName("CreateCheckpoint"), nullptr);
  // The other, WatchDataVersion, has its rule checked in
  // common/auth/tests/policy_test.cc (a stream, like GetDataVersion's rule).
  ASSERT_NE(admin->FindMethodByName("WatchDataVersion"), nullptr);
  const std::string method = "/peel.admin.v1.Admin/CreateCheckpoint";
  int n = 0, allowed_calls = 0;
  for (bool by_token : {false, true}) {
    for (const ServiceUnderTest& s : Services()) {
      for (const std::string& role : kRoles) {
        const bool allowed = role == "operator" || role == "inspector";
        peel::admin::v1::CreateCheckpointRequest req;
        req.set_dir(dir_->Sub(absl::StrCat("checkpoint-", ++n)));
        auto r = by_token ? CallGeneric(Channel(s.name, "operator"), method,
                                        req, Token(role))
                          : CallGeneric(Channel(s.name, role), method, req);
        const std::string what = absl::StrCat(role, " -> ", s.name, " ", method,
                                              by_token ? " (token)" : "");
        if (allowed) {
          ++allowed_calls;
          EXPECT_TRUE(r.status.ok())
              << what << ": " << r.status.error_message();
          EXPECT_EQ(r.responses, 1) << what;
          EXPECT_TRUE(std::filesystem::is_directory(req.dir())) << what;
        } else {
          EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << what << ": " << r.status.error_message();
          EXPECT_EQ(r.responses, 0) << what;
          EXPECT_FALSE(std::filesystem::exists(req.dir())) << what;
        }
      }
    }
  }
  EXPECT_EQ(allowed_calls, 2 * 5 * 2);  // 2 roles, 5 servers, cert and token
}

TEST_F(Authz, BadTokensAreUnauthenticated) {
  const std::string service = "peel.crimerecording.v1.CrimeRecordingService";
  auto request = RequestFor(service, "ListAudits", "kent");
  const std::string method = absl::StrCat("/", service, "/ListAudits");
  const std::string good = Token("inspector");
  std::string forged = good;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  const std::string expired = peel::auth::MintToken(
      *key_, {"x", "inspector", absl::ToUnixSeconds(absl::Now()) - 10});
  const std::string other_key = peel::auth::MintToken(
      "a different key of enough length", {"x", "inspector", 4000000000});
  for (const std::string& t :
       {forged, expired, other_key, std::string("x.y")}) {
    auto r = CallGeneric(Channel(service, "inspector"), method, *request, t);
    EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << t;
  }
  // A token naming an unknown role is authenticated but allowed nothing.
  auto r =
      CallGeneric(Channel(service, "inspector"), method, *request,
                  peel::auth::MintToken(*key_, {"x", "admin", 4000000000}));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  r = CallGeneric(Channel(service, "operator"), method, *request, good);
  EXPECT_TRUE(r.status.ok()) << r.status.error_message();
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

// TLS without client certificates, callers named by bearer tokens only
// (tokens minted by tools/make-test-token, openssl's HMAC): no token is no
// identity, on every method.
TEST(AuthzTokensOnly, NoTokenIsUnauthenticatedAndScriptTokensWork) {
  ASSERT_TRUE(Certs::Get().ok());
  const Certs& c = Certs::Get();
  peel::testing::TempDir dir("peel-authz-tokens");
  const std::string key_file = c.main("auth-token.key");
  const std::string script = PEEL_MAKE_TEST_TOKEN_PATH;
  auto token = [&](const std::string& role) {
    return RunCommand(script + " " + key_file + " " + role +
                      " opaque-caller-1 600");
  };
  const std::string operator_token = token("operator");
  ASSERT_FALSE(operator_token.empty());
  auto tls = peel::security_testing::ClientCredentials(c.main("ca.pem"));
  const std::string service = peel::security_testing::kCrimeRecording;
  auto store = peel::security_testing::StartServer(
      dir, "store", PEEL_CRIME_RECORDING_BIN_PATH, service,
      {"--tls_cert=" + c.main("server.pem"),
       "--tls_key=" + c.main("server.key"), "--authz",
       "--auth_token_key_file=" + key_file},
      grpc::CompositeChannelCredentials(
          tls, grpc::AccessTokenCredentials(operator_token)));
  ASSERT_TRUE(store);
  auto channel = grpc::CreateChannel(store->address(), tls);
  for (const auto& s : Services()) {
    if (s.name != service) continue;
    for (const auto& [method, kind] : s.methods) {
      auto request = RequestFor(service, method, "kent");
      auto r = CallGeneric(channel, absl::StrCat("/", service, "/", method),
                           *request);
      EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method << ": " << r.status.error_message();
    }
  }
  const std::string kent = token("force-analyst:kent");
  const std::string list = absl::StrCat("/", service, "/ListAudits");
  auto r = CallGeneric(channel, list,
                       *RequestFor(service, "ListAudits", "kent"), kent);
  EXPECT_TRUE(r.status.ok()) << r.status.error_message();
  r = CallGeneric(channel, list,
                  *RequestFor(service, "ListAudits", "metropolitan"), kent);
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
