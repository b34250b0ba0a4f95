// Starts the real crime-recording binary on port 0 with a fresh store and
// talks to it over gRPC.
#include <cmath>
#include <cstdlib>

#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace peel::crimerecording {
namespace {

using peel::common::v1::BatchAck;
using peel::common::v1::RecordResult;
using Stub = v1::CrimeRecordingService::Stub;

constexpr char kService[] = "peel.crimerecording.v1.CrimeRecordingService";

double Pct1(double p) { return std::round(p * 1000) / 10; }

class CrimeRecordingServer : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("PEEL_CRIME_RECORDING_BIN");
    ASSERT_NE(bin, nullptr) << "PEEL_CRIME_RECORDING_BIN not set";
    binary_ = bin;
    Start();
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "server log:\n" << server_->Log();
  }
  void Start() {
    auto s = peel::testing::ServerProcess::Start(
        {binary_, kService, dir_.Sub("data"), dir_.path(), {}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::CrimeRecordingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }
  void Restart() {
    ASSERT_EQ(server_->Terminate(), 0) << server_->Log();
    Start();
  }

  grpc::Status CreateAudit(const v1::Audit& audit, v1::Audit* out = nullptr) {
    v1::CreateAuditRequest req;
    *req.mutable_audit() = audit;
    v1::Audit resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->CreateAudit(&ctx, req, &resp);
    if (out) *out = resp;
    return s;
  }

  absl::StatusOr<std::vector<BatchAck>> Send(
      const std::vector<v1::AuditedIncidentBatch>& batches) {
    return peel::testing::SendBatches<v1::AuditedIncidentBatch>(
        [&](grpc::ClientContext* ctx) {
          return stub_->IngestAuditedIncidents(ctx);
        },
        batches);
  }

  v1::RecordingEstimate Estimate() {
    v1::GetRecordingEstimateRequest req;
    req.set_audit_id(testing::MetAudit().audit_id());
    v1::RecordingEstimate resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->GetRecordingEstimate(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  peel::testing::TempDir dir_{"crime-recording-test"};
  std::string binary_;
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<Stub> stub_;
};

std::vector<google::rpc::BadRequest::FieldViolation> Violations(
    const grpc::Status& s) {
  google::rpc::Status st;
  google::rpc::BadRequest br;
  std::vector<google::rpc::BadRequest::FieldViolation> out;
  if (st.ParseFromString(s.error_details()) && st.details_size() == 1 &&
      br.ParseFromString(st.details(0).value())) {
    out.assign(br.field_violations().begin(), br.field_violations().end());
  }
  return out;
}

void ExpectPublishedFigures(const v1::RecordingEstimate& e) {
  EXPECT_EQ(e.pooled().ratio().numerator(), 464);
  EXPECT_EQ(e.pooled().ratio().denominator(), 506);
  EXPECT_EQ(Pct1(e.headline().value()), 91.7);
  EXPECT_EQ(Pct1(e.headline().half_width()), 2.4);
  ASSERT_EQ(e.strata_size(), 3);
  EXPECT_EQ(e.strata(0).rate().ratio().numerator(), 203);
  EXPECT_EQ(e.strata(0).rate().ratio().denominator(), 235);
  EXPECT_EQ(Pct1(e.strata(0).rate().value()), 86.4);
  EXPECT_EQ(Pct1(e.strata(0).rate().half_width()), 4.4);
  EXPECT_EQ(e.strata(1).rate().ratio().numerator(), 119);
  EXPECT_EQ(e.strata(1).rate().ratio().denominator(), 125);
  EXPECT_EQ(Pct1(e.strata(1).rate().value()), 95.2);
  EXPECT_EQ(Pct1(e.strata(1).rate().half_width()), 3.7);
  EXPECT_EQ(e.unrecorded(), 69100);
  EXPECT_EQ(e.additionally_recorded(), 18300);
  EXPECT_EQ(e.change().wording(), v1::BROADLY_UNCHANGED);
}

TEST_F(CrimeRecordingServer, FixtureReproducesReportAndSurvivesRestart) {
  ASSERT_TRUE(CreateAudit(testing::MetAudit()).ok());
  auto incidents = testing::MetIncidents();
  auto acks = Send(testing::Batches(incidents, 100));
  ASSERT_TRUE(acks.ok()) << acks.status();
  int accepted = 0;
  for (const auto& a : *acks) accepted += a.accepted();
  EXPECT_EQ(accepted, static_cast<int>(incidents.size()));
  ExpectPublishedFigures(Estimate());

  Restart();
  ExpectPublishedFigures(Estimate());
  v1::GetAuditRequest get;
  get.set_audit_id(testing::MetAudit().audit_id());
  v1::Audit audit;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetAudit(&ctx, get, &audit).ok());
  EXPECT_EQ(audit.recorded_crime_base(), 763400);
}

TEST_F(CrimeRecordingServer, SameStreamTwiceChangesNothing) {
  ASSERT_TRUE(CreateAudit(testing::MetAudit()).ok());
  auto batches = testing::Batches(testing::MetIncidents(), 50);
  ASSERT_TRUE(Send(batches).ok());
  const std::string before = Estimate().SerializeAsString();
  auto again = Send(batches);
  ASSERT_TRUE(again.ok());
  for (const auto& a : *again) {
    EXPECT_EQ(a.accepted(), 0);
    EXPECT_EQ(a.duplicates(), a.results_size());
  }
  EXPECT_EQ(Estimate().SerializeAsString(), before);
  // The same audit again is accepted as identical.
  EXPECT_TRUE(CreateAudit(testing::MetAudit()).ok());
}

TEST_F(CrimeRecordingServer, BadAuditsNameTheField) {
  struct Case {
    std::string field;
    std::function<void(v1::Audit*)> spoil;
  };
  std::vector<Case> cases = {
      {"audit.force", [](v1::Audit* a) { a->set_force("atlantis"); }},
      {"audit.period.end_date",
       [](v1::Audit* a) { a->mutable_period()->set_end_date("2022-01-31"); }},
      {"audit.period.end_date",
       [](v1::Audit* a) { a->mutable_period()->set_end_date("2021-01-01"); }},
      {"audit.recorded_crime_base",
       [](v1::Audit* a) { a->set_recorded_crime_base(-1); }},
      {"audit.recorded_crime_base",
       [](v1::Audit* a) { a->clear_recorded_crime_base(); }},
      {"audit.strata",
       [](v1::Audit* a) { a->mutable_strata(0)->set_weight(0.5); }},
      {"audit.strata[0].stratum",
       [](v1::Audit* a) { a->mutable_strata(0)->clear_stratum(); }},
  };
  for (const auto& c : cases) {
    v1::Audit audit = testing::MetAudit();
    audit.set_audit_id("bad-" + c.field);
    c.spoil(&audit);
    grpc::Status s = CreateAudit(audit);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    auto v = Violations(s);
    ASSERT_FALSE(v.empty()) << c.field;
    EXPECT_EQ(v[0].field(), c.field) << s.error_message();
    v1::GetAuditRequest get;
    get.set_audit_id(audit.audit_id());
    v1::Audit stored;
    grpc::ClientContext ctx;
    EXPECT_EQ(stub_->GetAudit(&ctx, get, &stored).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  // Same id, different content.
  ASSERT_TRUE(CreateAudit(testing::MetAudit()).ok());
  v1::Audit changed = testing::MetAudit();
  changed.set_recorded_crime_base(1);
  EXPECT_EQ(CreateAudit(changed).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(CrimeRecordingServer, BadRecordsAreRejectedAloneAndStoreNothing) {
  ASSERT_TRUE(CreateAudit(testing::MetAudit()).ok());
  auto incidents = testing::MetIncidents();
  ASSERT_TRUE(Send(testing::Batches(incidents, 500)).ok());
  const std::string before = Estimate().SerializeAsString();

  v1::AuditedIncidentBatch batch;
  batch.set_sequence(7);
  batch.set_audit_id(testing::MetAudit().audit_id());
  auto* good = batch.add_incidents();
  good->set_incident_id("new-good");
  good->set_stratum(v1::OTHER);
  auto* unspecified = batch.add_incidents();
  unspecified->set_incident_id("new-unspecified");
  unspecified->add_crimes()->set_recorded(true);
  auto* over = batch.add_incidents();
  over->set_incident_id("new-over");
  over->set_stratum(v1::VIOLENCE);
  over->add_crimes()->set_recorded_within_24h(true);  // not recorded
  *batch.add_incidents() = incidents[0];
  batch.mutable_incidents(3)->add_crimes()->set_recorded(true);  // changed

  auto acks = Send({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  const BatchAck& ack = (*acks)[0];
  EXPECT_EQ(ack.sequence(), 7u);
  EXPECT_EQ(ack.accepted(), 1);
  EXPECT_EQ(ack.rejected(), 3);
  ASSERT_EQ(ack.results_size(), 4);
  EXPECT_EQ(ack.results(0).outcome(), RecordResult::ACCEPTED);
  EXPECT_EQ(ack.results(1).violations(0).field(), "incidents[1].stratum");
  EXPECT_EQ(ack.results(2).violations(0).field(),
            "incidents[2].crimes[0].recorded_within_24h");
  EXPECT_EQ(ack.results(3).violations(0).field(), "id");
  // Only the good incident (no crimes) changed anything: one more incident.
  v1::RecordingEstimate after = Estimate();
  EXPECT_EQ(after.incidents(), static_cast<int64_t>(incidents.size()) + 1);
  EXPECT_EQ(after.pooled().ratio().denominator(), 506);

  // Batch-level errors end the stream with a status.
  v1::AuditedIncidentBatch empty;
  empty.set_audit_id(testing::MetAudit().audit_id());
  auto r = Send({empty});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  v1::AuditedIncidentBatch unknown = batch;
  unknown.set_audit_id("no-such-audit");
  EXPECT_EQ(Send({unknown}).status().code(), absl::StatusCode::kNotFound);
  (void)before;
}

TEST_F(CrimeRecordingServer, StreamFailingHalfWayKeepsAcknowledgedBatches) {
  ASSERT_TRUE(CreateAudit(testing::MetAudit()).ok());
  auto batches = testing::Batches(testing::MetIncidents(), 100);
  std::vector<v1::AuditedIncidentBatch> first_two = {batches[0], batches[1]};
  v1::AuditedIncidentBatch bad;
  bad.set_audit_id(testing::MetAudit().audit_id());  // empty: fails
  first_two.push_back(bad);
  first_two.push_back(batches[2]);
  auto r = Send(first_two);
  EXPECT_FALSE(r.ok());
  v1::RecordingEstimate e = Estimate();
  int64_t expected = batches[0].incidents_size() + batches[1].incidents_size();
  EXPECT_EQ(e.incidents(), expected);
}

TEST_F(CrimeRecordingServer, OversizedMessageIsRefused) {
  v1::AuditedIncidentBatch huge;
  huge.set_audit_id("x");
  auto* inc = huge.add_incidents();
  inc->set_incident_id(std::string(17 << 20, 'a'));
  EXPECT_EQ(Send({huge}).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(CrimeRecordingServer, SampleIsReproducibleAndStratified) {
  v1::IncidentLogBatch log;
  log.set_sequence(1);
  log.set_force("metropolitan");
  // 300 incidents over 2021: 1 in 3 violence, spread over the year.
  for (int i = 0; i < 300; ++i) {
    auto* e = log.add_entries();
    e->set_incident_id("log-" + std::to_string(i));
    e->mutable_opened_at()->set_seconds(1609459200 + int64_t{i} * 86400 + 3600);
    e->set_closing_category("crime");
    e->set_stratum(i % 3 == 0 ? v1::VIOLENCE : v1::OTHER);
  }
  auto acks = peel::testing::SendBatches<v1::IncidentLogBatch>(
      [&](grpc::ClientContext* c) { return stub_->IngestIncidentLog(c); },
      {log});
  ASSERT_TRUE(acks.ok());
  EXPECT_EQ((*acks)[0].accepted(), 300);

  auto draw = [&](uint64_t seed) {
    v1::DrawAuditSampleRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date("2021-01-01");
    req.mutable_period()->set_end_date("2021-06-30");  // days 0..180
    req.set_seed(seed);
    auto* s = req.add_sizes();
    s->set_stratum(v1::VIOLENCE);
    s->set_size(10);
    s = req.add_sizes();
    s->set_stratum(v1::OTHER);
    s->set_size(20);
    grpc::ClientContext ctx;
    auto reader = stub_->DrawAuditSample(&ctx, req);
    std::vector<std::string> ids;
    v1::SampledIncident si;
    int violence = 0;
    while (reader->Read(&si)) {
      ids.push_back(si.entry().incident_id());
      if (si.entry().stratum() == v1::VIOLENCE) ++violence;
      int n = std::stoi(si.entry().incident_id().substr(4));
      EXPECT_LE(n, 180) << "outside the period";
    }
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_EQ(violence, 10);
    return ids;
  };
  auto a = draw(42);
  auto b = draw(42);
  auto c = draw(43);
  EXPECT_EQ(a.size(), 30u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST_F(CrimeRecordingServer, NationalViewListsLatestAuditPerForce) {
  ASSERT_TRUE(CreateAudit(testing::MetAudit()).ok());
  ASSERT_TRUE(Send(testing::Batches(testing::MetIncidents(), 200)).ok());
  v1::GetNationalRecordingRatesRequest req;
  req.mutable_period()->set_start_date("2021-07-01");
  req.mutable_period()->set_end_date("2022-06-30");
  v1::NationalRecordingRates resp;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetNationalRecordingRates(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.forces_size(), 1);
  EXPECT_EQ(resp.forces(0).force(), "metropolitan");
  EXPECT_EQ(Pct1(resp.forces(0).rate().value()), 91.7);
}

}  // namespace
}  // namespace peel::crimerecording
