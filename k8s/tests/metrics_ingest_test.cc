// The metrics a pod's scrape annotations point at, from the real
// crime-recording binary: started with --metrics_port as the manifests start
// it, fed through an ingest stream and unary calls, then scraped over HTTP.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/testing/batch_client.h"
#include "common/testing/metrics_scrape.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"

namespace {

namespace v1 = peel::crimerecording::v1;
constexpr char kService[] = "peel.crimerecording.v1.CrimeRecordingService";

using peel::testing::FreePort;
constexpr auto Scrape = &peel::testing::ScrapeMetrics;
constexpr auto Sample = &peel::testing::MetricSample;

TEST(MetricsIngest, RealBinaryCountsCallsCodesAndRecords) {
  const char* bin = std::getenv("PEEL_CRIME_RECORDING_BIN");
  ASSERT_NE(bin, nullptr) << "PEEL_CRIME_RECORDING_BIN is not set";
  peel::testing::TempDir dir;
  const int metrics_port = FreePort();
  auto server = peel::testing::ServerProcess::Start(
      {bin,
       kService,
       dir.Sub("data"),
       dir.path(),
       {absl::StrCat("--metrics_port=", metrics_port)}});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::CrimeRecordingService::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));

  v1::IncidentLogBatch log;
  log.set_sequence(1);
  log.set_force("metropolitan");
  for (int i = 0; i < 300; ++i) {
    auto* e = log.add_entries();
    e->set_incident_id("log-" + std::to_string(i));
    e->mutable_opened_at()->set_seconds(1609459200 + int64_t{i} * 86400);
    e->set_closing_category("crime");
    e->set_stratum(i % 3 == 0 ? v1::VIOLENCE : v1::OTHER);
  }
  v1::IncidentLogBatch bad = log;
  bad.set_sequence(2);
  bad.clear_entries();
  bad.add_entries()->set_incident_id("log-no-stratum");  // rejected
  auto open = [&](grpc::ClientContext* c) {
    return stub->IngestIncidentLog(c);
  };
  auto first = peel::testing::SendBatches<v1::IncidentLogBatch>(open, {log});
  auto again =
      peel::testing::SendBatches<v1::IncidentLogBatch>(open, {log, bad});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ((*first)[0].accepted(), 300);
  ASSERT_EQ((*again)[0].duplicates(), 300);
  const int rejected = (*again)[1].rejected();
  ASSERT_EQ(rejected, 1);

  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext ctx;
    v1::GetAuditRequest req;
    req.set_audit_id("no-such-audit");
    v1::Audit audit;
    EXPECT_EQ(stub->GetAudit(&ctx, req, &audit).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  const std::string text = Scrape(metrics_port);
  ASSERT_FALSE(text.empty()) << (*server)->Log();
  const std::string ingest = absl::StrCat(
      "grpc_service=\"", kService, "\",grpc_method=\"IngestIncidentLog\"");
  EXPECT_EQ(Sample(text, absl::StrCat("peel_records_ingested_total{", ingest,
                                      ",result=\"accepted\"}")),
            300)
      << text;
  EXPECT_EQ(Sample(text, absl::StrCat("peel_records_ingested_total{", ingest,
                                      ",result=\"duplicate\"}")),
            300);
  EXPECT_EQ(Sample(text, absl::StrCat("peel_records_ingested_total{", ingest,
                                      ",result=\"rejected\"}")),
            1);
  EXPECT_EQ(Sample(text, absl::StrCat("grpc_server_handled_total{grpc_type="
                                      "\"bidi_stream\",",
                                      ingest, ",grpc_code=\"OK\"}")),
            2);
  const std::string get = absl::StrCat("grpc_type=\"unary\",grpc_service=\"",
                                       kService, "\",grpc_method=\"GetAudit\"");
  EXPECT_EQ(Sample(text, absl::StrCat("grpc_server_handled_total{", get,
                                      ",grpc_code=\"NotFound\"}")),
            2);
  EXPECT_EQ(Sample(text, absl::StrCat("grpc_server_handling_seconds_count{",
                                      get, "}")),
            2);
  // 300 records are on disk (WAL at least).
  EXPECT_GT(Sample(text, "peel_store_bytes"), 10000);
  EXPECT_EQ((*server)->Terminate(), 0) << (*server)->Log();
}

}  // namespace
