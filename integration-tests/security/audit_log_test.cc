// The write audit log (issue 10 item 6) of a real crime-recording with
// --authz and --audit_log: one JSON line per write call or stream batch,
// allowed or refused, with caller, role, method, forces, sequence, record
// ids and outcome; none for reads; never record contents.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "integration-tests/security/generic_call.h"
#include "integration-tests/security/security_fixture.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace {

namespace cr = ::peel::crimerecording::v1;
using peel::security_testing::CallGeneric;
using peel::security_testing::Certs;

constexpr char kService[] = "/peel.crimerecording.v1.CrimeRecordingService/";

std::vector<google::protobuf::Struct> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<google::protobuf::Struct> out;
  std::string line;
  while (std::getline(in, line)) {
    google::protobuf::Struct s;
    auto status = google::protobuf::util::JsonStringToMessage(line, &s);
    EXPECT_TRUE(status.ok()) << line;
    out.push_back(std::move(s));
  }
  return out;
}

std::string Str(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "<missing>" : it->second.string_value();
}
std::vector<std::string> List(const google::protobuf::Struct& s,
                              const std::string& key) {
  std::vector<std::string> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end()) return out;
  for (const auto& v : it->second.list_value().values()) {
    out.push_back(v.string_value());
  }
  return out;
}

TEST(AuditLog, OneLinePerWriteWithIdsAndOutcomeNeverContents) {
  ASSERT_TRUE(Certs::Get().ok());
  const Certs& c = Certs::Get();
  auto key = peel::auth::ReadTokenKey(c.main("auth-token.key"));
  ASSERT_TRUE(key.ok());
  auto token = [&](const std::string& role) {
    return peel::auth::MintToken(
        *key, {"caller-" + role, role,
               absl::ToUnixSeconds(absl::Now() + absl::Hours(1))});
  };
  peel::testing::TempDir dir("peel-audit");
  auto tls = peel::security_testing::ClientCredentials(c.main("ca.pem"));
  auto store = peel::security_testing::StartServer(
      dir, "store", PEEL_CRIME_RECORDING_BIN_PATH,
      peel::security_testing::kCrimeRecording,
      {"--tls_cert=" + c.main("server.pem"), "--tls_key=" + c.main("server.key"),
       "--authz", "--auth_token_key_file=" + c.main("auth-token.key"),
       "--audit_log=audit.log"},
      grpc::CompositeChannelCredentials(
          tls, grpc::AccessTokenCredentials(token("operator"))));
  ASSERT_TRUE(store);
  auto channel = grpc::CreateChannel(store->address(), tls);

  // 1: kent's analyst creates kent's audit.
  cr::CreateAuditRequest create;
  *create.mutable_audit() = peel::crimerecording::testing::MetAudit();
  create.mutable_audit()->set_force("kent");
  create.mutable_audit()->set_audit_id("kent-2021h2");
  auto r = CallGeneric(channel, absl::StrCat(kService, "CreateAudit"), create,
                       token("force-analyst:kent"));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();

  // 2-4: three batches over one stream.
  auto batches = peel::crimerecording::testing::Batches(
      peel::crimerecording::testing::MetIncidents(), 100);
  batches.resize(3);
  for (auto& b : batches) b.set_audit_id("kent-2021h2");
  {
    auto stub = cr::CrimeRecordingService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(peel::security_testing::Deadline());
    ctx.AddMetadata("authorization", "Bearer " + token("force-analyst:kent"));
    auto stream = stub->IngestAuditedIncidents(&ctx);
    for (const auto& b : batches) {
      ASSERT_TRUE(stream->Write(b));
      peel::common::v1::BatchAck ack;
      ASSERT_TRUE(stream->Read(&ack));
    }
    stream->WritesDone();
    grpc::Status s = stream->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // 5: the Met's analyst tries to write kent's audit: refused, logged.
  cr::CreateAuditRequest foreign = create;
  foreign.mutable_audit()->set_audit_id("kent-2022h1");
  r = CallGeneric(channel, absl::StrCat(kService, "CreateAudit"), foreign,
                  token("force-analyst:metropolitan"));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Reads are not logged, allowed or not.
  cr::ListAuditsRequest list;
  list.set_force("kent");
  EXPECT_TRUE(CallGeneric(channel, absl::StrCat(kService, "ListAudits"), list,
                          token("inspector"))
                  .status.ok());
  EXPECT_EQ(CallGeneric(channel, absl::StrCat(kService, "ListAudits"), list,
                        token("reader"))
                .status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  const std::string path = dir.Sub("store-data/audit.log");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0) << path;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::vector<google::protobuf::Struct> lines;
  // The last line is written as the refusal is sent; allow it a moment.
  for (int i = 0; i < 50 && lines.size() < 5; ++i) {
    lines = ReadLines(path);
    if (lines.size() < 5) absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(lines.size(), 5u);

  EXPECT_EQ(Str(lines[0], "caller"), "token:caller-force-analyst:kent");
  EXPECT_EQ(Str(lines[0], "role"), "force-analyst:kent");
  EXPECT_EQ(Str(lines[0], "method"), absl::StrCat(kService, "CreateAudit"));
  EXPECT_EQ(List(lines[0], "forces"), std::vector<std::string>{"kent"});
  EXPECT_EQ(List(lines[0], "ids"), std::vector<std::string>{"kent-2021h2"});
  EXPECT_EQ(Str(lines[0], "code"), "OK");

  for (int i = 0; i < 3; ++i) {
    const auto& l = lines[1 + i];
    EXPECT_EQ(Str(l, "method"),
              absl::StrCat(kService, "IngestAuditedIncidents"));
    EXPECT_EQ(l.fields().at("sequence").number_value(),
              static_cast<double>(batches[i].sequence()));
    std::vector<std::string> ids = {"kent-2021h2"};
    for (const auto& inc : batches[i].incidents()) {
      ids.push_back(inc.incident_id());
    }
    EXPECT_EQ(List(l, "ids"), ids) << "batch " << i;
    EXPECT_EQ(List(l, "forces"), std::vector<std::string>{"kent"});
    EXPECT_EQ(Str(l, "code"), "OK");
  }

  EXPECT_EQ(Str(lines[4], "role"), "force-analyst:metropolitan");
  EXPECT_EQ(List(lines[4], "forces"), std::vector<std::string>{"kent"});
  EXPECT_EQ(List(lines[4], "ids"), std::vector<std::string>{"kent-2022h1"});
  EXPECT_EQ(Str(lines[4], "code"), "PERMISSION_DENIED");
  // Nothing of the refused audit was stored.
  cr::GetAuditRequest get;
  get.set_audit_id("kent-2022h1");
  EXPECT_EQ(CallGeneric(channel, absl::StrCat(kService, "GetAudit"), get,
                        token("inspector"))
                .status.error_code(),
            grpc::StatusCode::NOT_FOUND);

  // No record contents: the audit's free text is not in the file.
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  EXPECT_EQ(all.str().find("Home Office"), std::string::npos);
  EXPECT_EQ(all.str().find("2018 inspection"), std::string::npos);
}

}  // namespace
