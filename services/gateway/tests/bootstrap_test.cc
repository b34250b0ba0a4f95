// The gateway runs on the common server bootstrap: its Prometheus endpoint
// counts its calls, and its health service reports each backend beside its
// own name.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/testing/metrics_scrape.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "services/gateway/tests/env.h"

namespace peel::gateway {
namespace {

constexpr char kGateway[] = "peel.gateway.v1.AssessmentGateway";

TEST(GatewayBootstrap, MetricsEndpointAndHealthOfEachBackend) {
  peel::testing::TempDir dir("gateway-bootstrap");
  std::filesystem::create_directories(dir.Sub("cr"));
  std::filesystem::create_directories(dir.Sub("gw"));
  auto cr = peel::testing::ServerProcess::Start(
      {testing::Env("PEEL_CRIME_RECORDING_BIN"),
       "peel.crimerecording.v1.CrimeRecordingService",
       dir.Sub("cr-data"),
       dir.Sub("cr"),
       {}});
  ASSERT_TRUE(cr.ok()) << cr.status();
  const int metrics_port = peel::testing::FreePort();
  auto gw = peel::testing::ServerProcess::Start(
      {testing::Env("PEEL_GATEWAY_BIN"),
       kGateway,
       dir.Sub("gw-data"),
       dir.Sub("gw"),
       {"--crime_recording_addr=" + (*cr)->address(),
        "--policy=" + testing::Env("PEEL_GATEWAY_POLICY"),
        "--health_interval_ms=100",
        absl::StrCat("--metrics_port=", metrics_port)}});
  ASSERT_TRUE(gw.ok()) << gw.status();
  auto channel =
      grpc::CreateChannel((*gw)->address(), grpc::InsecureChannelCredentials());

  auto stub = v1::AssessmentGateway::NewStub(channel);
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    v1::ListMetricsResponse resp;
    ASSERT_TRUE(stub->ListMetrics(&ctx, {}, &resp).ok());
  }
  const std::string text = peel::testing::ScrapeMetrics(metrics_port);
  ASSERT_FALSE(text.empty()) << (*gw)->Log();
  EXPECT_EQ(peel::testing::MetricSample(
                text, absl::StrCat("grpc_server_handled_total{grpc_type="
                                   "\"unary\",grpc_service=\"",
                                   kGateway,
                                   "\",grpc_method=\"ListMetrics\","
                                   "grpc_code=\"OK\"}")),
            3)
      << text;

  // Health: the gateway's name, the configured backend SERVING, a backend
  // not configured NOT_SERVING.
  auto health = grpc::health::v1::Health::NewStub(channel);
  auto status_of = [&](const std::string& service) {
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::ClientContext ctx;
    grpc::Status s = health->Check(&ctx, req, &resp);
    return s.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                        resp.status())
                  : s.error_message();
  };
  std::string cr_status;
  for (int i = 0; i < 100 && cr_status != "SERVING"; ++i) {
    cr_status = status_of("peel.crimerecording.v1.CrimeRecordingService");
    if (cr_status != "SERVING") usleep(50 * 1000);
  }
  EXPECT_EQ(cr_status, "SERVING");
  EXPECT_EQ(status_of(kGateway), "SERVING");
  EXPECT_EQ(status_of("peel.workforce.v1.WorkforceService"), "NOT_SERVING");
  EXPECT_EQ((*gw)->Terminate(), 0) << (*gw)->Log();
}

}  // namespace
}  // namespace peel::gateway
