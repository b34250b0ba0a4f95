// Transport security of real binaries (issue 10 item 5): a TLS server
// refuses plaintext; with a CA (mutual TLS) it refuses a client without a
// certificate or with one from another CA; the gateway assembles the Met's
// assessment over mutual TLS from a TLS crime-recording.

#include "absl/strings/str_cat.h"
#include "common/testing/batch_client.h"
#include "common/testing/free_port.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "integration-tests/security/security_fixture.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace {

namespace cr = ::peel::crimerecording::v1;
namespace gw = ::peel::gateway::v1;
using peel::security_testing::Certs;
using peel::security_testing::ClientCredentials;
using peel::security_testing::Deadline;
using peel::security_testing::RoleCredentials;
using peel::security_testing::ServerTlsArgs;
using peel::security_testing::StartServer;
using peel::testing::FreePort;

class Tls : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Certs::Get().ok()); }

  std::unique_ptr<peel::testing::ServerProcess> StartStore(bool mutual) {
    return StartServer(
        dir_, "store", peel::security_testing::CrimeRecordingBin(),
        peel::security_testing::kCrimeRecording, ServerTlsArgs(mutual),
        mutual ? RoleCredentials("operator")
               : ClientCredentials(Certs::Get().main("ca.pem")));
  }

  // ListAudits over `creds`: the status code.
  static grpc::StatusCode List(const std::string& address,
                               std::shared_ptr<grpc::ChannelCredentials> creds,
                               std::string* message = nullptr) {
    auto stub =
        cr::CrimeRecordingService::NewStub(grpc::CreateChannel(address, creds));
    grpc::ClientContext ctx;
    ctx.set_deadline(Deadline(5));
    cr::ListAuditsRequest req;
    req.set_force("metropolitan");
    cr::ListAuditsResponse resp;
    grpc::Status s = stub->ListAudits(&ctx, req, &resp);
    if (message != nullptr) *message = s.error_message();
    return s.error_code();
  }

  peel::testing::TempDir dir_{"peel-tls"};
};

TEST_F(Tls, ServerWithTlsRefusesPlaintext) {
  auto store = StartStore(/*mutual=*/false);
  ASSERT_TRUE(store);
  EXPECT_EQ(List(store->address(), grpc::InsecureChannelCredentials()),
            grpc::StatusCode::UNAVAILABLE);
  // The same call over TLS verified against the CA succeeds.
  std::string why;
  EXPECT_EQ(List(store->address(),
                 ClientCredentials(Certs::Get().main("ca.pem")), &why),
            grpc::StatusCode::OK)
      << why;
  // A client trusting only another CA does not accept the server.
  EXPECT_EQ(
      List(store->address(), ClientCredentials(Certs::Get().other("ca.pem"))),
      grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, MutualTlsRefusesClientWithoutCertificate) {
  auto store = StartStore(/*mutual=*/true);
  ASSERT_TRUE(store);
  EXPECT_EQ(
      List(store->address(), ClientCredentials(Certs::Get().main("ca.pem"))),
      grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(List(store->address(), grpc::InsecureChannelCredentials()),
            grpc::StatusCode::UNAVAILABLE);
  std::string why;
  EXPECT_EQ(List(store->address(), RoleCredentials("reader"), &why),
            grpc::StatusCode::OK)
      << why;
}

TEST_F(Tls, MutualTlsRefusesCertificateFromAnotherCa) {
  auto store = StartStore(/*mutual=*/true);
  ASSERT_TRUE(store);
  const Certs& c = Certs::Get();
  // Trusts the right server CA, but presents a client certificate the
  // server's CA did not sign.
  EXPECT_EQ(
      List(store->address(),
           ClientCredentials(c.main("ca.pem"), c.other("client-inspector.pem"),
                             c.other("client-inspector.key"))),
      grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, ServerRefusesToStartWithUnreadableCertificate) {
  peel::testing::ServerProcessOptions o;
  o.binary = peel::security_testing::CrimeRecordingBin();
  o.service_name = peel::security_testing::kCrimeRecording;
  o.data_dir = dir_.Sub("bad-data");
  o.work_dir = dir_.path();
  o.extra_args = {"--tls_cert=" + dir_.Sub("missing.pem"),
                  "--tls_key=" + Certs::Get().main("server.key")};
  o.start_timeout = absl::Seconds(10);
  auto p = peel::testing::ServerProcess::Start(o);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("--tls_cert="), std::string::npos)
      << p.status();
}

// --health_port: a plaintext port for Kubernetes' gRPC probes (which cannot
// speak TLS) that answers health and nothing else.
TEST_F(Tls, PlaintextHealthPortAnswersHealthOnly) {
  const int health_port = FreePort();
  ASSERT_GT(health_port, 0);
  std::vector<std::string> args = ServerTlsArgs(/*mutual=*/true);
  args.push_back(absl::StrCat("--health_port=", health_port));
  auto store =
      StartServer(dir_, "store", peel::security_testing::CrimeRecordingBin(),
                  peel::security_testing::kCrimeRecording, args,
                  RoleCredentials("operator"));
  ASSERT_TRUE(store);
  const std::string plain = absl::StrCat("127.0.0.1:", health_port);
  auto health = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(plain, grpc::InsecureChannelCredentials()));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(peel::security_testing::kCrimeRecording);
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(Deadline(5));
  grpc::Status s = health->Check(&ctx, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  std::string why;
  EXPECT_EQ(List(plain, grpc::InsecureChannelCredentials(), &why),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(why.find("health"), std::string::npos) << why;
  EXPECT_EQ(List(store->address(), RoleCredentials("reader"), &why),
            grpc::StatusCode::OK)
      << why;
}

TEST_F(Tls, GatewayAssemblesAssessmentOverMutualTls) {
  auto store = StartStore(/*mutual=*/true);
  ASSERT_TRUE(store);
  // Load the Met's audit over mutual TLS.
  auto cr_stub = cr::CrimeRecordingService::NewStub(
      grpc::CreateChannel(store->address(), RoleCredentials("inspector")));
  {
    cr::CreateAuditRequest req;
    *req.mutable_audit() = peel::crimerecording::testing::MetAudit();
    cr::Audit resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(Deadline());
    grpc::Status s = cr_stub->CreateAudit(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto batches = peel::crimerecording::testing::Batches(
        peel::crimerecording::testing::MetIncidents(), 200);
    for (auto& b : batches) b.set_audit_id(req.audit().audit_id());
    auto acks = peel::testing::SendBatches<cr::AuditedIncidentBatch>(
        [&](grpc::ClientContext* c) {
          return cr_stub->IngestAuditedIncidents(c);
        },
        batches);
    ASSERT_TRUE(acks.ok()) << acks.status();
  }

  const Certs& c = Certs::Get();
  std::vector<std::string> args = ServerTlsArgs(/*mutual=*/true);
  args.push_back("--crime_recording_addr=" + store->address());
  args.push_back("--policy=" + peel::security_testing::GatewayPolicy());
  args.push_back("--backend_tls_cert=" + c.main("client-gateway.pem"));
  args.push_back("--backend_tls_key=" + c.main("client-gateway.key"));
  args.push_back("--backend_tls_ca=" + c.main("ca.pem"));
  auto gateway = StartServer(
      dir_, "gateway", peel::security_testing::GatewayBin(),
      peel::security_testing::kGateway, args, RoleCredentials("operator"));
  ASSERT_TRUE(gateway);

  auto stub = gw::AssessmentGateway::NewStub(
      grpc::CreateChannel(gateway->address(), RoleCredentials("reader")));
  gw::GetForceAssessmentRequest req;
  req.set_force("metropolitan");
  req.mutable_period()->set_start_date("2021-04-01");
  req.mutable_period()->set_end_date("2022-06-30");
  gw::ForceAssessment a;
  grpc::ClientContext ctx;
  ctx.set_deadline(Deadline());
  grpc::Status s = stub->GetForceAssessment(&ctx, req, &a);
  ASSERT_TRUE(s.ok()) << s.error_message() << gateway->Log();
  const gw::KeyFigure* rate = nullptr;
  for (const auto& area : a.areas()) {
    if (area.area() != gw::RECORDING_DATA_ABOUT_CRIME) continue;
    EXPECT_TRUE(area.available()) << gateway->Log();
    for (const auto& f : area.figures()) {
      if (f.metric() == "crime_recording.rate") rate = &f;
    }
  }
  ASSERT_NE(rate, nullptr) << a.DebugString();
  // The report's 464 of 506 crimes recorded, fetched over mutual TLS.
  EXPECT_EQ(rate->estimate().ratio().numerator(), 464);
  EXPECT_EQ(rate->estimate().ratio().denominator(), 506);

  // The gateway itself refuses a client without a certificate.
  auto plain = gw::AssessmentGateway::NewStub(grpc::CreateChannel(
      gateway->address(), ClientCredentials(c.main("ca.pem"))));
  grpc::ClientContext ctx2;
  ctx2.set_deadline(Deadline(5));
  gw::ForceAssessment b;
  EXPECT_EQ(plain->GetForceAssessment(&ctx2, req, &b).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
