// Starts the real crime-recording and gateway binaries on port 0, loads the
// Metropolitan Police crime data integrity fixture (and four smaller forces
// for the national comparison), records the report's judgments, and checks
// the assembled assessment.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"
#include "services/gateway/tests/env.h"
#include "services/soc-disruptions/tests/met_fixture.h"
#include "services/victim-service/tests/met_fixture.h"

namespace peel::gateway {
namespace {

namespace cr = ::peel::crimerecording::v1;
namespace vs = ::peel::victimservice::v1;
namespace soc = ::peel::soc::v1;
using peel::common::v1::Grade;
using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;

constexpr char kGateway[] = "peel.gateway.v1.AssessmentGateway";
constexpr char kCrimeRecording[] =
    "peel.crimerecording.v1.CrimeRecordingService";

double Pct1(double p) { return std::round(p * 1000) / 10; }

using testing::Env;

peel::common::v1::Period Peel2122() {
  peel::common::v1::Period p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-06-30");
  return p;
}

class GatewayServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Env("PEEL_CRIME_RECORDING_BIN").empty());
    ASSERT_FALSE(Env("PEEL_GATEWAY_BIN").empty());
    std::filesystem::create_directories(dir_.Sub("cr"));
    std::filesystem::create_directories(dir_.Sub("gw"));
    auto cr_proc =
        peel::testing::ServerProcess::Start({Env("PEEL_CRIME_RECORDING_BIN"),
                                             kCrimeRecording,
                                             dir_.Sub("cr-data"),
                                             dir_.Sub("cr"),
                                             {}});
    ASSERT_TRUE(cr_proc.ok()) << cr_proc.status();
    crime_recording_ = std::move(*cr_proc);
    cr_stub_ = cr::CrimeRecordingService::NewStub(grpc::CreateChannel(
        crime_recording_->address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (HasFailure()) {
      if (crime_recording_)
        std::cerr << "crime-recording log:\n" << crime_recording_->Log();
      if (gateway_) std::cerr << "gateway log:\n" << gateway_->Log();
      if (victim_service_)
        std::cerr << "victim-service log:\n" << victim_service_->Log();
      if (soc_) std::cerr << "soc-disruptions log:\n" << soc_->Log();
    }
  }

  void StartGateway(const std::string& crime_recording_addr,
                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "--crime_recording_addr=" + crime_recording_addr,
        "--policy=" + Env("PEEL_GATEWAY_POLICY"), "--health_interval_ms=200"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto gw = peel::testing::ServerProcess::Start(
        {Env("PEEL_GATEWAY_BIN"), kGateway, dir_.Sub("gw-data"), dir_.Sub("gw"),
         args});
    ASSERT_TRUE(gw.ok()) << gw.status();
    gateway_ = std::move(*gw);
    channel_ = grpc::CreateChannel(gateway_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::AssessmentGateway::NewStub(channel_);
  }

  // An audit of `force` whose incidents are the Met fixture's from `skip`
  // on, so each force has its own rate.
  // `start_date`/`end_date` (optional) replace the fixture's period.
  void LoadAudit(const std::string& force, const std::string& id, int skip,
                 const std::string& start_date = "",
                 const std::string& end_date = "") {
    cr::CreateAuditRequest req;
    *req.mutable_audit() = crimerecording::testing::MetAudit();
    req.mutable_audit()->set_force(force);
    req.mutable_audit()->set_audit_id(id);
    if (!start_date.empty()) {
      req.mutable_audit()->mutable_period()->set_start_date(start_date);
      req.mutable_audit()->mutable_period()->set_end_date(end_date);
    }
    cr::Audit resp;
    grpc::ClientContext ctx;
    const grpc::Status created = cr_stub_->CreateAudit(&ctx, req, &resp);
    ASSERT_TRUE(created.ok()) << created.error_message();
    auto incidents = crimerecording::testing::MetIncidents();
    incidents.erase(incidents.begin(), incidents.begin() + skip);
    auto batches = crimerecording::testing::Batches(incidents, 200);
    for (auto& b : batches) b.set_audit_id(id);
    auto acks = peel::testing::SendBatches<cr::AuditedIncidentBatch>(
        [&](grpc::ClientContext* c) {
          return cr_stub_->IngestAuditedIncidents(c);
        },
        batches);
    ASSERT_TRUE(acks.ok()) << acks.status();
  }
  void LoadForces() {
    LoadAudit("metropolitan", "metropolitan-2021h2", 0);
    LoadAudit("kent", "kent-2021h2", 40);
    LoadAudit("essex", "essex-2021h2", 90);
    LoadAudit("surrey", "surrey-2021h2", 150);
    LoadAudit("sussex", "sussex-2021h2", 210);
  }

  void Judge(const std::string& id, v1::Area area, Grade grade,
             const std::string& summary) {
    v1::RecordJudgmentRequest req;
    auto* j = req.mutable_judgment();
    j->set_judgment_id(id);
    j->set_force("metropolitan");
    j->set_area(area);
    j->set_grade(grade);
    j->set_summary(summary);
    j->set_judged_on("2022-09-01");
    j->set_source(
        "PEEL 2021/22: an inspection of the Metropolitan Police Service");
    *j->mutable_period() = Peel2122();
    v1::RecordResponse resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->RecordJudgment(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The report's eleven judgments, the Engage status and a cause of concern
  // for responding to the public.
  void RecordReport() {
    using peel::common::v1::ADEQUATE;
    using peel::common::v1::GOOD;
    using peel::common::v1::INADEQUATE;
    using peel::common::v1::REQUIRES_IMPROVEMENT;
    Judge("met-2122-victims", v1::SERVICE_TO_VICTIMS,
          peel::common::v1::UNGRADED,
          "We don't make a graded judgment in this overall area.");
    Judge("met-2122-recording", v1::RECORDING_DATA_ABOUT_CRIME, ADEQUATE,
          "The Metropolitan Police Service is adequate at recording crime.");
    Judge("met-2122-fairly", v1::TREATING_THE_PUBLIC_FAIRLY, ADEQUATE,
          "adequate at treating people fairly and with respect");
    Judge("met-2122-preventing", v1::PREVENTING_CRIME, GOOD,
          "good at prevention and deterrence");
    Judge("met-2122-responding", v1::RESPONDING_TO_THE_PUBLIC, INADEQUATE,
          "inadequate at responding to the public");
    Judge("met-2122-investigating", v1::INVESTIGATING_CRIME,
          REQUIRES_IMPROVEMENT, "requires improvement at investigating crime");
    Judge("met-2122-vulnerable", v1::PROTECTING_VULNERABLE_PEOPLE,
          REQUIRES_IMPROVEMENT,
          "requires improvement at protecting vulnerable people");
    Judge("met-2122-offenders", v1::MANAGING_OFFENDERS, REQUIRES_IMPROVEMENT,
          "requires improvement at managing offenders and suspects");
    Judge("met-2122-soc", v1::DISRUPTING_SERIOUS_ORGANISED_CRIME, ADEQUATE,
          "adequate at tackling serious and organised crime");
    Judge("met-2122-workforce", v1::BUILDING_THE_WORKFORCE,
          REQUIRES_IMPROVEMENT,
          "requires improvement at building and developing its workforce");
    Judge("met-2122-strategic", v1::STRATEGIC_PLANNING, REQUIRES_IMPROVEMENT,
          "requires improvement at operating efficiently");

    v1::RecordMonitoringStatusRequest m;
    m.mutable_status()->set_status_id("met-engage-2022");
    m.mutable_status()->set_force("metropolitan");
    m.mutable_status()->set_level(v1::ENGAGE);
    m.mutable_status()->set_since("2022-06-27");
    m.mutable_status()->add_reasons(
        "how the force responds to the public; its understanding of its "
        "demand and its workforce");
    v1::RecordResponse resp;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->RecordMonitoringStatus(&ctx, m, &resp).ok());

    v1::RecordFindingRequest f;
    auto* finding = f.mutable_finding();
    finding->set_finding_id("met-2122-coc-responding");
    finding->set_force("metropolitan");
    finding->set_area(v1::RESPONDING_TO_THE_PUBLIC);
    finding->set_kind(v1::CAUSE_OF_CONCERN);
    finding->set_summary(
        "The force doesn't have the capacity in its call handling teams to "
        "meet the demand for service in a timely way");
    finding->set_recorded_on("2022-09-01");
    *finding->mutable_period() = Peel2122();
    finding->add_evidence_metrics("calls.999_within_10s");
    finding->add_evidence_metrics("calls.101_abandoned");
    auto* rec = finding->add_recommendations();
    rec->set_recommendation_id("r1");
    rec->set_text(
        "Answer emergency and non-emergency calls within the "
        "national standards");
    grpc::ClientContext ctx2;
    ASSERT_TRUE(stub_->RecordFinding(&ctx2, f, &resp).ok());
  }

  grpc::Status Assess(
      v1::ForceAssessment* out,
      std::chrono::milliseconds deadline = std::chrono::milliseconds(5000),
      bool set_deadline = true) {
    v1::GetForceAssessmentRequest req;
    req.set_force("metropolitan");
    *req.mutable_period() = Peel2122();
    grpc::ClientContext ctx;
    if (set_deadline) ctx.set_deadline(Clock::now() + deadline);
    return stub_->GetForceAssessment(&ctx, req, out);
  }

  static const v1::AreaAssessment& AreaOf(const v1::ForceAssessment& a,
                                          v1::Area area) {
    for (const auto& x : a.areas()) {
      if (x.area() == area) return x;
    }
    static v1::AreaAssessment none;
    ADD_FAILURE() << "no area " << v1::Area_Name(area);
    return none;
  }
  static const v1::KeyFigure* FigureOf(const v1::AreaAssessment& a,
                                       const std::string& metric) {
    for (const auto& f : a.figures()) {
      if (f.metric() == metric) return &f;
    }
    return nullptr;
  }

  std::string HealthOf(const std::string& service) {
    auto stub = grpc::health::v1::Health::NewStub(channel_);
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(Clock::now() + std::chrono::seconds(1));
    grpc::Status s = stub->Check(&ctx, req, &resp);
    if (!s.ok()) return s.error_message();
    return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
        resp.status());
  }
  bool WaitForHealth(const std::string& service, const std::string& want) {
    for (int i = 0; i < 100; ++i) {
      if (HealthOf(service) == want) return true;
      usleep(50 * 1000);
    }
    return false;
  }

  // victim-service and soc-disruptions with the Met fixtures loaded.
  void StartOtherBackends() {
    std::filesystem::create_directories(dir_.Sub("vs"));
    std::filesystem::create_directories(dir_.Sub("soc"));
    auto v = peel::testing::ServerProcess::Start(
        {Env("PEEL_VICTIM_SERVICE_BIN"),
         "peel.victimservice.v1.VictimService",
         dir_.Sub("vs-data"),
         dir_.Sub("vs"),
         {}});
    ASSERT_TRUE(v.ok()) << v.status();
    victim_service_ = std::move(*v);
    auto vstub = vs::VictimService::NewStub(grpc::CreateChannel(
        victim_service_->address(), grpc::InsecureChannelCredentials()));
    {
      vs::CreateAssessmentRequest req;
      *req.mutable_assessment() = victimservice::testing::MetAssessment();
      vs::Assessment resp;
      grpc::ClientContext ctx;
      grpc::Status s = vstub->CreateAssessment(&ctx, req, &resp);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    auto reviews = peel::testing::SendBatches<vs::CaseReviewBatch>(
        [&](grpc::ClientContext* c) { return vstub->IngestCaseReviews(c); },
        victimservice::testing::ReviewBatches(
            victimservice::testing::MetCaseReviews(), 50));
    ASSERT_TRUE(reviews.ok()) << reviews.status();
    auto calls = peel::testing::SendBatches<vs::CallRecordBatch>(
        [&](grpc::ClientContext* c) { return vstub->IngestCallRecords(c); },
        victimservice::testing::CallBatches(
            victimservice::testing::MetCallRecords(), 500));
    ASSERT_TRUE(calls.ok()) << calls.status();

    auto so =
        peel::testing::ServerProcess::Start({Env("PEEL_SOC_DISRUPTIONS_BIN"),
                                             "peel.soc.v1.SocDisruptionService",
                                             dir_.Sub("soc-data"),
                                             dir_.Sub("soc"),
                                             {}});
    ASSERT_TRUE(so.ok()) << so.status();
    soc_ = std::move(*so);
    auto sstub = soc::SocDisruptionService::NewStub(grpc::CreateChannel(
        soc_->address(), grpc::InsecureChannelCredentials()));
    for (const auto& g : peel::soc::testing::MetGroups()) {
      soc::RegisterGroupRequest req;
      *req.mutable_group() = g;
      soc::OrganisedCrimeGroup resp;
      grpc::ClientContext ctx;
      ASSERT_TRUE(sstub->RegisterGroup(&ctx, req, &resp).ok());
    }
    auto ds = peel::testing::SendBatches<soc::DisruptionBatch>(
        [&](grpc::ClientContext* c) { return sstub->IngestDisruptions(c); },
        peel::soc::testing::Batches(peel::soc::testing::MetDisruptions(),
                                    1000));
    ASSERT_TRUE(ds.ok()) << ds.status();
  }

  peel::testing::TempDir dir_{"gateway-test"};
  std::unique_ptr<peel::testing::ServerProcess> victim_service_, soc_;
  std::unique_ptr<peel::testing::ServerProcess> crime_recording_, gateway_;
  std::unique_ptr<cr::CrimeRecordingService::Stub> cr_stub_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AssessmentGateway::Stub> stub_;
};

TEST_F(GatewayServer, MetropolitanAssessmentShowsTheReport) {
  LoadForces();
  StartGateway(crime_recording_->address());
  RecordReport();
  v1::ForceAssessment a;
  grpc::Status s = Assess(&a);
  ASSERT_TRUE(s.ok()) << s.error_message();

  EXPECT_EQ(a.force().name(), "Metropolitan Police Service");
  EXPECT_EQ(a.policy_id(), "peel-2021-22");
  ASSERT_EQ(a.areas_size(), 11);
  int graded = 0;
  for (const auto& area : a.areas()) graded += area.graded();
  EXPECT_EQ(graded, 10);

  // Recording data about crime: the report's figures, from record-level data.
  const auto& rec = AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME);
  EXPECT_TRUE(rec.available());
  EXPECT_EQ(rec.recorded().grade(), peel::common::v1::ADEQUATE);
  EXPECT_EQ(rec.indicative_grade(), peel::common::v1::ADEQUATE)
      << rec.indicative_basis();
  EXPECT_FALSE(rec.differs());
  const v1::KeyFigure* rate = FigureOf(rec, "crime_recording.rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->estimate().ratio().numerator(), 464);
  EXPECT_EQ(rate->estimate().ratio().denominator(), 506);
  EXPECT_EQ(Pct1(rate->estimate().value()), 91.7);
  EXPECT_EQ(Pct1(rate->estimate().half_width()), 2.4);
  EXPECT_EQ(rate->estimate().provenance().force(), "metropolitan");
  EXPECT_EQ(rate->wording(), "most");  // 75-94%
  ASSERT_TRUE(rate->has_comparison()) << rate->comparison_note();
  EXPECT_EQ(rate->comparison().forces_compared(), 5);
  EXPECT_NEAR(rate->comparison().force_value(), 464.0 / 506, 1e-12);
  const v1::KeyFigure* violence =
      FigureOf(rec, "crime_recording.violence_rate");
  ASSERT_NE(violence, nullptr);
  EXPECT_EQ(violence->estimate().ratio().numerator(), 203);
  EXPECT_EQ(violence->estimate().ratio().denominator(), 235);
  EXPECT_EQ(Pct1(violence->estimate().value()), 86.4);
  EXPECT_EQ(Pct1(violence->estimate().half_width()), 4.4);
  const v1::KeyFigure* sexual =
      FigureOf(rec, "crime_recording.sexual_offences_rate");
  ASSERT_NE(sexual, nullptr);
  EXPECT_EQ(sexual->estimate().ratio().numerator(), 119);
  EXPECT_EQ(Pct1(sexual->estimate().value()), 95.2);
  EXPECT_EQ(Pct1(sexual->estimate().half_width()), 3.7);
  const v1::KeyFigure* unrecorded =
      FigureOf(rec, "crime_recording.unrecorded_estimate");
  ASSERT_NE(unrecorded, nullptr);
  EXPECT_EQ(unrecorded->estimate().value(), 69100);

  // Areas without service evidence show the recorded judgments.
  const auto& fairly = AreaOf(a, v1::TREATING_THE_PUBLIC_FAIRLY);
  EXPECT_EQ(fairly.recorded().grade(), peel::common::v1::ADEQUATE);
  EXPECT_EQ(fairly.indicative_grade(), peel::common::v1::NOT_YET_ASSESSED);
  EXPECT_FALSE(fairly.differs());
  EXPECT_TRUE(fairly.available());
  EXPECT_EQ(AreaOf(a, v1::PREVENTING_CRIME).recorded().grade(),
            peel::common::v1::GOOD);
  EXPECT_EQ(AreaOf(a, v1::MANAGING_OFFENDERS).recorded().grade(),
            peel::common::v1::REQUIRES_IMPROVEMENT);
  EXPECT_EQ(AreaOf(a, v1::STRATEGIC_PLANNING).recorded().grade(),
            peel::common::v1::REQUIRES_IMPROVEMENT);
  const auto& victims = AreaOf(a, v1::SERVICE_TO_VICTIMS);
  EXPECT_FALSE(victims.graded());
  EXPECT_EQ(victims.recorded().grade(), peel::common::v1::UNGRADED);
  EXPECT_EQ(victims.indicative_grade(), peel::common::v1::UNGRADED);
  EXPECT_NE(FigureOf(victims, "crime_recording.rate"), nullptr);

  // Responding: judged INADEQUATE with its cause of concern; no warning.
  const auto& responding = AreaOf(a, v1::RESPONDING_TO_THE_PUBLIC);
  EXPECT_EQ(responding.recorded().grade(), peel::common::v1::INADEQUATE);
  ASSERT_EQ(responding.findings_size(), 1);
  EXPECT_EQ(responding.findings(0).kind(), v1::CAUSE_OF_CONCERN);
  EXPECT_TRUE(a.warnings().empty()) << a.warnings(0).message();
  EXPECT_EQ(a.monitoring().level(), v1::ENGAGE);

  // The backends this test does not start are reported, not failed.
  for (const auto& b : a.backends()) {
    if (b.backend() == v1::CRIME_RECORDING) {
      EXPECT_TRUE(b.available()) << b.reason();
    } else {
      EXPECT_FALSE(b.configured());
      EXPECT_FALSE(b.available());
    }
  }
}

void ExpectCheck(const v1::AreaAssessment& area, const std::string& metric,
                 int met, int applicable) {
  const v1::KeyFigure* f = nullptr;
  for (const auto& x : area.figures()) {
    if (x.metric() == metric) f = &x;
  }
  ASSERT_NE(f, nullptr) << metric << " in " << area.name();
  EXPECT_EQ(f->estimate().ratio().numerator(), met) << metric;
  EXPECT_EQ(f->estimate().ratio().denominator(), applicable) << metric;
}

TEST_F(GatewayServer, MetropolitanAssessmentFromEveryBackend) {
  LoadForces();
  StartOtherBackends();
  StartGateway(crime_recording_->address(),
               {"--victim_service_addr=" + victim_service_->address(),
                "--soc_disruptions_addr=" + soc_->address()});
  RecordReport();
  v1::ForceAssessment a;
  grpc::Status s = Assess(&a);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Responding to the public: 63.9% of 999 calls within 10 s (target 90%),
  // 36.6% of 101 calls abandoned (target under 10%), THRIVE+ 21 of 107 ...
  const auto& responding = AreaOf(a, v1::RESPONDING_TO_THE_PUBLIC);
  EXPECT_TRUE(responding.available());
  ExpectCheck(responding, "calls.999_within_10s", 1278, 2000);
  ExpectCheck(responding, "calls.101_abandoned", 549, 1500);
  EXPECT_EQ(
      Pct1(FigureOf(responding, "calls.999_within_10s")->estimate().value()),
      63.9);
  EXPECT_EQ(
      Pct1(FigureOf(responding, "calls.101_abandoned")->estimate().value()),
      36.6);
  ExpectCheck(responding, "vsa.thrive_assessment", 21, 107);
  ExpectCheck(responding, "vsa.vulnerability_checked", 54, 97);
  ExpectCheck(responding, "vsa.repeat_victim_identified", 39, 96);
  ExpectCheck(responding, "vsa.repeat_victim_recorded", 17, 27);
  ExpectCheck(responding, "vsa.evidence_advice", 15, 35);
  ExpectCheck(responding, "vsa.crime_prevention_advice", 31, 43);
  EXPECT_EQ(FigureOf(responding, "vsa.thrive_assessment")->wording(), "only");
  // The policy's indicative grade agrees with the recorded judgment.
  EXPECT_EQ(responding.indicative_grade(), peel::common::v1::INADEQUATE)
      << responding.indicative_basis();
  EXPECT_FALSE(responding.differs());

  // Investigating: allocation 100 of 105, arrests 24 of 26. The policy's
  // bands make it ADEQUATE; the inspectors judged REQUIRES_IMPROVEMENT on
  // evidence the services do not hold (supervision, plans): flagged.
  const auto& investigating = AreaOf(a, v1::INVESTIGATING_CRIME);
  ExpectCheck(investigating, "vsa.allocated_per_policy", 100, 105);
  ExpectCheck(investigating, "vsa.arrest_earliest_opportunity", 24, 26);
  EXPECT_EQ(investigating.indicative_grade(), peel::common::v1::ADEQUATE);
  EXPECT_EQ(investigating.recorded().grade(),
            peel::common::v1::REQUIRES_IMPROVEMENT);
  EXPECT_TRUE(investigating.differs());

  const auto& vulnerable = AreaOf(a, v1::PROTECTING_VULNERABLE_PEOPLE);
  ExpectCheck(vulnerable, "vsa.vulnerability_checked", 54, 97);
  EXPECT_EQ(vulnerable.indicative_grade(),
            peel::common::v1::REQUIRES_IMPROVEMENT);
  EXPECT_FALSE(vulnerable.differs());

  // Disrupting SOC: 8,021 disruptions in the year to 30 June 2022 (4,795
  // the year before), 78% pursue.
  const auto& soc_area = AreaOf(a, v1::DISRUPTING_SERIOUS_ORGANISED_CRIME);
  EXPECT_TRUE(soc_area.available());
  const v1::KeyFigure* disruptions = FigureOf(soc_area, "soc.disruptions");
  ASSERT_NE(disruptions, nullptr);
  EXPECT_EQ(disruptions->estimate().value(), 8021);
  EXPECT_THAT(disruptions->estimate().provenance().method(), HasSubstr("4795"));
  ExpectCheck(soc_area, "soc.pursue_share", 6257, 8021);
  EXPECT_EQ(Pct1(FigureOf(soc_area, "soc.pursue_share")->estimate().value()),
            78.0);
  EXPECT_EQ(soc_area.recorded().grade(), peel::common::v1::ADEQUATE);

  // Recording is unchanged by the other backends.
  const auto* rate = FigureOf(AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME),
                              "crime_recording.rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->estimate().ratio().numerator(), 464);
  // Workforce is not started here: its areas say so, the rest is intact.
  const auto& workforce = AreaOf(a, v1::BUILDING_THE_WORKFORCE);
  EXPECT_FALSE(workforce.available());
  EXPECT_THAT(workforce.unavailable(0).reason(), HasSubstr("--workforce_addr"));
  EXPECT_EQ(workforce.recorded().grade(),
            peel::common::v1::REQUIRES_IMPROVEMENT);

  // Kill victim-service: its areas go unavailable within the deadline, the
  // crime-recording and SOC evidence stays.
  victim_service_->Kill();
  const auto start = Clock::now();
  s = Assess(&a, std::chrono::milliseconds(1000));
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1000));
  EXPECT_FALSE(AreaOf(a, v1::RESPONDING_TO_THE_PUBLIC).available());
  EXPECT_FALSE(AreaOf(a, v1::INVESTIGATING_CRIME).available());
  EXPECT_TRUE(AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME).available());
  EXPECT_TRUE(AreaOf(a, v1::DISRUPTING_SERIOUS_ORGANISED_CRIME).available());
  EXPECT_EQ(AreaOf(a, v1::RESPONDING_TO_THE_PUBLIC).recorded().grade(),
            peel::common::v1::INADEQUATE);
}

TEST_F(GatewayServer, CompareForcesIsCachedButNeverStale) {
  LoadForces();
  StartGateway(crime_recording_->address());
  v1::CompareForcesRequest req;
  req.set_metric("crime_recording.rate");
  *req.mutable_period() = Peel2122();
  v1::ForceComparison c;
  {
    grpc::ClientContext ctx;
    grpc::Status s = stub_->CompareForces(&ctx, req, &c);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_EQ(c.forces_size(), 5);
  EXPECT_FALSE(c.from_cache());
  EXPECT_EQ(c.excluded_size(), 43 - 5);
  // Independently: the values are the backend's headline rates (asked
  // directly here); mean and sample SD computed in the test.
  cr::GetNationalRecordingRatesRequest nreq;
  *nreq.mutable_period() = Peel2122();
  cr::NationalRecordingRates rates;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(cr_stub_->GetNationalRecordingRates(&ctx, nreq, &rates).ok());
  }
  ASSERT_EQ(rates.forces_size(), 5);
  std::vector<double> x;
  for (int i = 0; i < c.forces_size(); ++i) {
    EXPECT_EQ(c.forces(i).force(), rates.forces(i).force());
    EXPECT_EQ(c.forces(i).value(), rates.forces(i).rate().value());
    x.push_back(c.logged() ? std::log(c.forces(i).value())
                           : c.forces(i).value());
  }
  double mean = 0, ss = 0;
  for (double v : x) mean += v / x.size();
  for (double v : x) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (x.size() - 1));
  EXPECT_NEAR(c.mean(), mean, 1e-12);
  EXPECT_NEAR(c.sd(), sd, 1e-12);
  EXPECT_EQ(c.raw().n(), 5);
  for (int i = 0; i < c.forces_size(); ++i) {
    EXPECT_NEAR(c.forces(i).z(), (x[i] - mean) / sd, 1e-9);
  }

  v1::ForceComparison again;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->CompareForces(&ctx, req, &again).ok());
  }
  EXPECT_TRUE(again.from_cache());
  EXPECT_EQ(again.forces_size(), 5);

  // New data in the backend: the next answer is recomputed.
  LoadAudit("hampshire", "hampshire-2021h2", 120);
  v1::ForceComparison fresh;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->CompareForces(&ctx, req, &fresh).ok());
  }
  EXPECT_FALSE(fresh.from_cache());
  EXPECT_EQ(fresh.forces_size(), 6);

  req.set_metric("crime_recording.violence_rate");
  grpc::ClientContext ctx;
  EXPECT_EQ(stub_->CompareForces(&ctx, req, &c).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// GetForceAssessment caches whole assessments and each backend's answer:
// a repeat is served from the cache, but any change in a backend's data or
// in the gateway's own judgments shows in the very next assessment.
TEST_F(GatewayServer, CachedAssessmentIsNeverStale) {
  LoadForces();
  StartGateway(crime_recording_->address());
  RecordReport();
  auto rate_of = [](const v1::ForceAssessment& a) {
    const v1::KeyFigure* f = FigureOf(AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME),
                                      "crime_recording.rate");
    return f == nullptr ? v1::KeyFigure() : *f;
  };
  v1::ForceAssessment first, again;
  ASSERT_TRUE(Assess(&first).ok());
  ASSERT_TRUE(Assess(&again).ok());
  EXPECT_EQ(rate_of(first).estimate().ratio().numerator(), 464);
  EXPECT_EQ(rate_of(first).estimate().ratio().denominator(), 506);
  EXPECT_EQ(rate_of(first).comparison().forces_compared(), 5);
  // The repeat is the same assessment (only the latencies may differ).
  for (auto* a : {&first, &again}) {
    for (auto& b : *a->mutable_backends()) b.clear_latency_micros();
  }
  EXPECT_EQ(first.SerializeAsString(), again.SerializeAsString());

  // A later Met audit in the period: the assessment now shows its figures,
  // as the backend itself computes them.
  LoadAudit("metropolitan", "metropolitan-2022h1", 100, "2022-01-01",
            "2022-06-30");
  cr::GetRecordingEstimateRequest ereq;
  ereq.set_audit_id("metropolitan-2022h1");
  cr::RecordingEstimate direct;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(cr_stub_->GetRecordingEstimate(&ctx, ereq, &direct).ok());
  }
  ASSERT_NE(direct.headline().ratio().denominator(), 506);
  v1::ForceAssessment fresh;
  ASSERT_TRUE(Assess(&fresh).ok());
  EXPECT_EQ(rate_of(fresh).estimate().ratio().numerator(),
            direct.headline().ratio().numerator());
  EXPECT_EQ(rate_of(fresh).estimate().ratio().denominator(),
            direct.headline().ratio().denominator());
  EXPECT_THAT(rate_of(fresh).estimate().provenance().dataset(),
              HasSubstr("metropolitan-2022h1"));

  // Another force's audit: the Met's national comparison now has six.
  LoadAudit("hampshire", "hampshire-2021h2", 120);
  v1::ForceAssessment wider;
  ASSERT_TRUE(Assess(&wider).ok());
  EXPECT_EQ(rate_of(wider).comparison().forces_compared(), 6);

  // A new judgment in the gateway's own store shows at once.
  EXPECT_NE(AreaOf(wider, v1::STRATEGIC_PLANNING).recorded().grade(),
            peel::common::v1::OUTSTANDING);
  Judge("met-2022-strategic-regraded", v1::STRATEGIC_PLANNING,
        peel::common::v1::OUTSTANDING, "Regraded.");
  v1::ForceAssessment judged;
  ASSERT_TRUE(Assess(&judged).ok());
  EXPECT_EQ(AreaOf(judged, v1::STRATEGIC_PLANNING).recorded().grade(),
            peel::common::v1::OUTSTANDING);
  // Reassembled around the backend's cached answer, which is unchanged.
  EXPECT_EQ(rate_of(judged).estimate().ratio().numerator(),
            direct.headline().ratio().numerator());
  EXPECT_EQ(rate_of(judged).comparison().forces_compared(), 6);
}

TEST_F(GatewayServer, KilledBackendMarksItsAreasUnavailable) {
  LoadForces();
  StartGateway(crime_recording_->address());
  RecordReport();
  ASSERT_TRUE(WaitForHealth(kCrimeRecording, "SERVING"));
  EXPECT_EQ(HealthOf("peel.victimservice.v1.VictimService"), "NOT_SERVING");
  crime_recording_->Kill();

  const auto start = Clock::now();
  v1::ForceAssessment a;
  grpc::Status s = Assess(&a, std::chrono::milliseconds(1000));
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));
  const auto& rec = AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME);
  EXPECT_FALSE(rec.available());
  ASSERT_EQ(rec.unavailable_size(), 1);
  EXPECT_EQ(rec.unavailable(0).backend(), v1::CRIME_RECORDING);
  EXPECT_THAT(rec.unavailable(0).reason(), HasSubstr(kCrimeRecording));
  EXPECT_TRUE(rec.figures().empty());
  // The judgments are intact.
  EXPECT_EQ(rec.recorded().grade(), peel::common::v1::ADEQUATE);
  EXPECT_EQ(rec.indicative_grade(), peel::common::v1::NOT_YET_ASSESSED);
  EXPECT_EQ(AreaOf(a, v1::PREVENTING_CRIME).recorded().grade(),
            peel::common::v1::GOOD);
  EXPECT_TRUE(AreaOf(a, v1::PREVENTING_CRIME).available());
  EXPECT_TRUE(WaitForHealth(kCrimeRecording, "NOT_SERVING"));
  EXPECT_EQ(HealthOf(kGateway), "SERVING");
}

// A backend that accepts connections but never answers.
class Blackhole {
 public:
  Blackhole() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Blackhole() { close(fd_); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(GatewayServer, SlowBackendTimesOutWithinTheCallersDeadline) {
  Blackhole hole;
  StartGateway(hole.address(), {"--backend_timeout_ms=300"});
  RecordReport();
  // No caller deadline: the gateway's default (300 ms here) applies while
  // the connection hangs.
  auto start = Clock::now();
  v1::ForceAssessment a;
  grpc::Status s = Assess(&a, {}, /*set_deadline=*/false);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
  EXPECT_THAT(AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME).unavailable(0).reason(),
              HasSubstr("DEADLINE_EXCEEDED"));
  // The caller's deadline, shorter than the default.
  start = Clock::now();
  s = Assess(&a, std::chrono::milliseconds(200));
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(200));
  const auto& rec = AreaOf(a, v1::RECORDING_DATA_ABOUT_CRIME);
  EXPECT_FALSE(rec.available());
  EXPECT_EQ(rec.recorded().grade(), peel::common::v1::ADEQUATE);
}

TEST_F(GatewayServer, InvalidPolicyRefusesToStart) {
  const std::string policy = dir_.Sub("bad.textproto");
  {
    std::ofstream out(policy);
    out << "policy_id: \"bad\"\n"
           "areas { area: RESPONDING_TO_THE_PUBLIC rules {\n"
           "  metric: \"calls.999_within_10s\"\n"
           "  thresholds { good: 0.8 adequate: 0.9 } } }\n"
           "areas { area: INVESTIGATING_CRIME rules {\n"
           "  metric: \"vsa.no_such_check\" thresholds { good: 0.9 } } }\n";
  }
  const std::string log = dir_.Sub("bad.log");
  const std::string cmd = absl::StrCat(
      Env("PEEL_GATEWAY_BIN"), " --port=0 --data_dir=", dir_.Sub("bad-data"),
      " --policy=", policy, " > ", log, " 2>&1");
  const int rc = std::system(cmd.c_str());
  EXPECT_NE(rc, 0);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("refusing to start"));
  EXPECT_THAT(text.str(), HasSubstr("unknown metric 'vsa.no_such_check'"));
  EXPECT_THAT(text.str(), HasSubstr("out of order"));
}

TEST_F(GatewayServer, JudgmentsAreIdempotentAndValidated) {
  StartGateway(crime_recording_->address());
  RecordReport();
  RecordReport();  // the same ids again: no-ops
  v1::ListJudgmentsRequest req;
  req.set_force("metropolitan");
  v1::ListJudgmentsResponse list;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->ListJudgments(&ctx, req, &list).ok());
  EXPECT_EQ(list.judgments_size(), 11);
  EXPECT_EQ(list.findings_size(), 1);
  EXPECT_EQ(list.monitoring_size(), 1);

  v1::RecordJudgmentRequest bad;
  bad.mutable_judgment()->set_judgment_id("x");
  bad.mutable_judgment()->set_force("metropolitan");
  v1::RecordResponse resp;
  grpc::ClientContext ctx2;
  grpc::Status s = stub_->RecordJudgment(&ctx2, bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("judgment.area"));
  EXPECT_THAT(s.error_message(), HasSubstr("judgment.grade"));
}

}  // namespace
}  // namespace peel::gateway
