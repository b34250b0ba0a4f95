// The metrics endpoint, scraped over HTTP on loopback after real gRPC calls
// to a real server (the standard health service), and the exposition format.
#include "common/server/metrics.h"


#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/testing/metrics_scrape.h"
#include "common/testing/temp_dir.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"

namespace peel::server {
namespace {

using ::peel::testing::HttpRequest;

using ::peel::testing::MetricSample;

const char kCheckLabels[] =
    "grpc_type=\"unary\",grpc_service=\"grpc.health.v1.Health\","
    "grpc_method=\"Check\"";

class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &grpc_port_);
    // Any other method answers UNIMPLEMENTED (and gives the server a
    // callback service, so it needs no polled completion queue).
    builder.RegisterCallbackGenericService(&generic_);
    InstallMetricsInterceptor(&builder, &metrics_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    server_->GetHealthCheckService()->SetServingStatus("peel.test.v1.Test",
                                                       true);
    auto http = MetricsHttpServer::Start("127.0.0.1", 0, &metrics_);
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = std::move(*http);
    ASSERT_GT(http_->port(), 0);
    stub_ = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", grpc_port_),
                            grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    http_.reset();
    if (server_) server_->Shutdown();
  }

  grpc::Status Check(const std::string& name) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(name);
    grpc::health::v1::HealthCheckResponse resp;
    return stub_->Check(&ctx, req, &resp);
  }

  std::string Scrape() {
    const std::string r = HttpRequest(http_->port(), "GET", "/metrics");
    const size_t body = r.find("\r\n\r\n");
    EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
    EXPECT_TRUE(absl::StrContains(r, "text/plain; version=0.0.4")) << r;
    return body == std::string::npos ? "" : r.substr(body + 4);
  }

  Metrics metrics_;
  grpc::CallbackGenericService generic_;
  int grpc_port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<MetricsHttpServer> http_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(MetricsServerTest, CountersMoveWithRealCalls) {
  const std::string before = Scrape();
  EXPECT_EQ(MetricSample(before, absl::StrCat("grpc_server_started_total{",
                                              kCheckLabels, "}")),
            -1);

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Check("peel.test.v1.Test").ok());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Check("peel.unknown.v1.Nothing").error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  const std::string after = Scrape();
  EXPECT_EQ(MetricSample(after, absl::StrCat("grpc_server_started_total{",
                                             kCheckLabels, "}")),
            5)
      << after;
  EXPECT_EQ(
      MetricSample(after, absl::StrCat("grpc_server_handled_total{",
                                       kCheckLabels, ",grpc_code=\"OK\"}")),
      3)
      << after;
  EXPECT_EQ(MetricSample(
                after, absl::StrCat("grpc_server_handled_total{", kCheckLabels,
                                    ",grpc_code=\"NotFound\"}")),
            2)
      << after;
  // The histogram: count 5, +Inf bucket 5, buckets cumulative and
  // non-decreasing, a positive sum.
  EXPECT_EQ(
      MetricSample(after, absl::StrCat("grpc_server_handling_seconds_count{",
                                       kCheckLabels, "}")),
      5);
  EXPECT_EQ(
      MetricSample(after, absl::StrCat("grpc_server_handling_seconds_bucket{",
                                       kCheckLabels, ",le=\"+Inf\"}")),
      5);
  EXPECT_GT(
      MetricSample(after, absl::StrCat("grpc_server_handling_seconds_sum{",
                                       kCheckLabels, "}")),
      0);
  double previous = 0;
  for (int i = 0; i < Metrics::kLatencyBucketCount; ++i) {
    const double v = MetricSample(
        after, absl::StrCat("grpc_server_handling_seconds_bucket{",
                            kCheckLabels, ",le=\"",
                            absl::StrCat(Metrics::kLatencyBuckets[i]), "\"}"));
    ASSERT_GE(v, previous) << "bucket " << Metrics::kLatencyBuckets[i];
    previous = v;
  }
  EXPECT_EQ(previous, 5);  // a loopback health check takes under 10 s
}

TEST_F(MetricsServerTest, OtherPathsAndMethodsAreRefused) {
  EXPECT_TRUE(absl::StartsWith(HttpRequest(http_->port(), "GET", "/"),
                               "HTTP/1.1 404 "));
  EXPECT_TRUE(absl::StartsWith(HttpRequest(http_->port(), "POST", "/metrics"),
                               "HTTP/1.1 405 "));
  const std::string head = HttpRequest(http_->port(), "HEAD", "/metrics");
  EXPECT_TRUE(absl::StartsWith(head, "HTTP/1.1 200 OK")) << head;
  EXPECT_TRUE(absl::EndsWith(head, "\r\n\r\n")) << head;
}

TEST(MetricsTest, GaugesAndIngestCountersRender) {
  Metrics m;
  m.SetGauge("peel_store_approximate_bytes", "RocksDB's own estimate.", 1234);
  double calls = 0;
  m.AddGaugeCallback("peel_test_reads", "Read at scrape time.",
                     [&calls] { return ++calls; });
  m.RecordsIngested("/peel.x.v1.X/Ingest", 7, 2, 1);
  m.RecordsIngested("/peel.x.v1.X/Ingest", 3, 0, 0);
  const std::string text = m.Render();
  EXPECT_TRUE(absl::StrContains(text,
                                "# TYPE peel_store_approximate_bytes gauge\n"
                                "peel_store_approximate_bytes 1234\n"))
      << text;
  EXPECT_EQ(MetricSample(text, "peel_test_reads"), 1);
  EXPECT_EQ(MetricSample(m.Render(), "peel_test_reads"), 2);
  const std::string l =
      "grpc_service=\"peel.x.v1.X\",grpc_method=\"Ingest\",result=";
  EXPECT_EQ(MetricSample(text, absl::StrCat("peel_records_ingested_total{", l,
                                            "\"accepted\"}")),
            10);
  EXPECT_EQ(MetricSample(text, absl::StrCat("peel_records_ingested_total{", l,
                                            "\"duplicate\"}")),
            2);
  EXPECT_EQ(MetricSample(text, absl::StrCat("peel_records_ingested_total{", l,
                                            "\"rejected\"}")),
            1);
  // Every sample line belongs to a family announced by # TYPE.
  std::string family;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty()) continue;
    if (absl::StartsWith(line, "# TYPE ")) {
      std::vector<std::string> f = absl::StrSplit(line, ' ');
      family = f[2];
      continue;
    }
    if (absl::StartsWith(line, "#")) continue;
    EXPECT_TRUE(absl::StartsWith(line, family)) << line;
  }
}

TEST(MetricsTest, DirectoryBytesCountsFilesRecursively) {
  peel::testing::TempDir dir;
  EXPECT_EQ(DirectoryBytes(dir.path()), 0u);
  std::ofstream(dir.path() + "/a") << std::string(100, 'x');
  std::filesystem::create_directories(dir.path() + "/sub");
  std::ofstream(dir.path() + "/sub/b") << std::string(23, 'y');
  EXPECT_EQ(DirectoryBytes(dir.path()), 123u);
  EXPECT_EQ(DirectoryBytes(dir.path() + "/missing"), 0u);
}

TEST(MetricsTest, HttpServerRefusesABusyPort) {
  Metrics m;
  auto first = MetricsHttpServer::Start("127.0.0.1", 0, &m);
  ASSERT_TRUE(first.ok());
  auto second = MetricsHttpServer::Start("127.0.0.1", (*first)->port(), &m);
  EXPECT_FALSE(second.ok());
}

}  // namespace
}  // namespace peel::server
