// The national demo data set as a user loads it: `peelctl up` on a temp
// folder, peel-demo, every imports.txt line through `peelctl import`; then
// the gateway's Metropolitan Police assessment must show the reference
// report's figures and recorded grades, every national comparison must have
// 43 forces, and importing everything again must count duplicates only.
// The expected figures are the report's (and the workforce fixture's
// design numbers), not read back from the services.
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "integration-tests/demo/suite_driver.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/workforce/tests/met_fixture.h"

namespace peel::demo::testing {
namespace {

namespace gw = ::peel::gateway::v1;
namespace wf = ::peel::workforce::v1;
using peel::common::v1::Grade;
using peel::workforce::testing::kMet;
using Clock = std::chrono::system_clock;

constexpr int kForces = 43;  // the PEEL forces of England and Wales

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

double Pct1(double p) { return std::round(p * 1000) / 10; }

peel::common::v1::Period Peel2122() {
  peel::common::v1::Period p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-06-30");
  return p;
}

// One suite for every test: starting it and loading the demo is the
// expensive part.
struct Suite {
  peel::testing::TempDir dir{"demo-test"};
  std::string peelctl = Env("PEEL_PEELCTL_BIN", PEEL_PEELCTL_BIN_PATH);
  std::string data_dir = dir.Sub("data");
  std::string demo_dir = dir.Sub("demo");
  CommandResult up, generate;
  std::vector<ImportLine> first_import;
  std::shared_ptr<grpc::Channel> gateway;
};
Suite* suite = nullptr;

class DemoData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite = new Suite;
    suite->up =
        RunCommand(suite->peelctl + " up --data_dir=" + suite->data_dir +
                   " --bin_dir=" + Env("PEEL_BIN_DIR", PEEL_BIN_DIR_PATH));
    if (suite->up.exit_code != 0) return;
    suite->generate = RunCommand(Env("PEEL_DEMO_BIN", PEEL_DEMO_BIN_PATH) +
                                 std::string(" --out=") + suite->demo_dir);
    if (suite->generate.exit_code != 0) return;
    suite->first_import = ReadManifest(suite->demo_dir);
    ImportAll(suite->peelctl, suite->data_dir, suite->demo_dir,
              &suite->first_import);
    suite->gateway = grpc::CreateChannel(AddressOf(suite->data_dir, "gateway"),
                                         grpc::InsecureChannelCredentials());
  }
  static void TearDownTestSuite() {
    RunCommand(suite->peelctl + " down --data_dir=" + suite->data_dir);
    delete suite;
    suite = nullptr;
  }

  void SetUp() override {
    ASSERT_EQ(suite->up.exit_code, 0) << suite->up.output;
    ASSERT_EQ(suite->generate.exit_code, 0) << suite->generate.output;
    ASSERT_FALSE(suite->first_import.empty());
    stub_ = gw::AssessmentGateway::NewStub(suite->gateway);
  }

  gw::ForceAssessment Assess() {
    gw::GetForceAssessmentRequest req;
    req.set_force("metropolitan");
    *req.mutable_period() = Peel2122();
    gw::ForceAssessment a;
    grpc::ClientContext ctx;
    ctx.set_deadline(Clock::now() + std::chrono::seconds(20));
    grpc::Status s = stub_->GetForceAssessment(&ctx, req, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return a;
  }

  grpc::Status Compare(const std::string& metric, gw::ForceComparison* out) {
    gw::CompareForcesRequest req;
    req.set_metric(metric);
    *req.mutable_period() = Peel2122();
    grpc::ClientContext ctx;
    ctx.set_deadline(Clock::now() + std::chrono::seconds(20));
    return stub_->CompareForces(&ctx, req, out);
  }

  std::vector<gw::Metric> ComparableMetrics() {
    gw::ListMetricsResponse resp;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->ListMetrics(&ctx, {}, &resp).ok());
    std::vector<gw::Metric> out;
    for (const auto& m : resp.metrics()) {
      if (m.nationally_comparable()) out.push_back(m);
    }
    return out;
  }

  std::unique_ptr<gw::AssessmentGateway::Stub> stub_;
};

const gw::AreaAssessment& AreaOf(const gw::ForceAssessment& a, gw::Area area) {
  for (const auto& x : a.areas()) {
    if (x.area() == area) return x;
  }
  static const gw::AreaAssessment none;
  ADD_FAILURE() << "no area " << gw::Area_Name(area);
  return none;
}

const gw::KeyFigure& FigureOf(const gw::AreaAssessment& area,
                              const std::string& metric) {
  for (const auto& f : area.figures()) {
    if (f.metric() == metric) return f;
  }
  static const gw::KeyFigure none;
  ADD_FAILURE() << "no figure " << metric << " in " << area.name();
  return none;
}

void ExpectRatio(const gw::AreaAssessment& area, const std::string& metric,
                 int64_t numerator, int64_t denominator) {
  const auto& e = FigureOf(area, metric).estimate();
  EXPECT_EQ(e.ratio().numerator(), numerator) << metric;
  EXPECT_EQ(e.ratio().denominator(), denominator) << metric;
}

TEST_F(DemoData, EveryRecordIsAccepted) {
  int64_t rows = 0;
  std::map<std::string, int> kinds;
  for (const auto& l : suite->first_import) {
    EXPECT_EQ(l.exit_code, 0) << l.kind << " " << l.file << ": " << l.output;
    EXPECT_GT(l.rows, 0) << l.kind << " " << l.file << ": " << l.output;
    EXPECT_EQ(l.accepted, l.rows)
        << l.kind << " " << l.file << ": " << l.output;
    EXPECT_EQ(l.rejected, 0) << l.kind << " " << l.file;
    rows += l.rows;
    ++kinds[l.kind];
  }
  // Every service's record kinds are in the demo.
  for (const char* k :
       {"audits", "audited-incidents", "assessments", "case-reviews",
        "call-records", "monthly-999", "people", "wellbeing-events",
        "uplift-targets", "population", "groups", "disruptions", "judgments",
        "findings", "monitoring"}) {
    EXPECT_GT(kinds[k], 0) << k;
  }
  // The Met's 165 + 20 case reviews, 506-crime audit, 12,896 disruptions
  // and the rest: well over 100,000 records.
  EXPECT_GT(rows, 100000);
}

TEST_F(DemoData, MetropolitanAssessmentReproducesTheReport) {
  const gw::ForceAssessment a = Assess();
  ASSERT_EQ(a.areas_size(), 11);
  EXPECT_EQ(a.force().name(), "Metropolitan Police Service");
  for (const auto& area : a.areas()) {
    EXPECT_TRUE(area.available()) << area.name();
  }

  // Recording data about crime: 464 of 506 crimes recorded, 91.7%.
  const auto& rec = AreaOf(a, gw::RECORDING_DATA_ABOUT_CRIME);
  ExpectRatio(rec, "crime_recording.rate", 464, 506);
  EXPECT_EQ(Pct1(FigureOf(rec, "crime_recording.rate").estimate().value()),
            91.7);
  ExpectRatio(rec, "crime_recording.violence_rate", 203, 235);
  ExpectRatio(rec, "crime_recording.sexual_offences_rate", 119, 125);

  // Responding: 63.9% of 999 calls within 10 s, 36.6% of 101 calls
  // abandoned, THRIVE+ in only 21 of 107.
  const auto& resp = AreaOf(a, gw::RESPONDING_TO_THE_PUBLIC);
  ExpectRatio(resp, "calls.999_within_10s", 1278, 2000);
  EXPECT_EQ(Pct1(FigureOf(resp, "calls.999_within_10s").estimate().value()),
            63.9);
  ExpectRatio(resp, "calls.101_abandoned", 549, 1500);
  EXPECT_EQ(Pct1(FigureOf(resp, "calls.101_abandoned").estimate().value()),
            36.6);
  ExpectRatio(resp, "vsa.thrive_assessment", 21, 107);
  ExpectRatio(resp, "vsa.repeat_victim_identified", 39, 96);

  // Investigating: allocation in almost all (100 of 105), arrests 24 of 26.
  const auto& inv = AreaOf(a, gw::INVESTIGATING_CRIME);
  ExpectRatio(inv, "vsa.allocated_per_policy", 100, 105);
  ExpectRatio(inv, "vsa.arrest_earliest_opportunity", 24, 26);
  ExpectRatio(AreaOf(a, gw::PROTECTING_VULNERABLE_PEOPLE),
              "vsa.vulnerability_checked", 54, 97);

  // SOC: 8,021 disruptions in the year to 30 June 2022 (4,795 the year
  // before), 78% pursue.
  const auto& soc = AreaOf(a, gw::DISRUPTING_SERIOUS_ORGANISED_CRIME);
  EXPECT_EQ(FigureOf(soc, "soc.disruptions").estimate().value(), 8021);
  EXPECT_THAT(FigureOf(soc, "soc.disruptions").estimate().provenance().method(),
              ::testing::HasSubstr("4795"));
  ExpectRatio(soc, "soc.pursue_share", 6257, 8021);
  EXPECT_EQ(Pct1(FigureOf(soc, "soc.pursue_share").estimate().value()), 78.0);

  // Workforce as at the period's end (30 June 2022): the fixture's
  // officers (baseline + joiners − leavers) against the 2022 allocation.
  const int64_t officers = kMet.baseline_officers + kMet.joiners[0] +
                           kMet.joiners[1] + kMet.joiners[2] + kMet.joiners[3] -
                           kMet.leavers[0] - kMet.leavers[1] - kMet.leavers[2] -
                           kMet.leavers[3];
  ExpectRatio(AreaOf(a, gw::BUILDING_THE_WORKFORCE),
              "workforce.uplift_progress", officers - kMet.baseline_officers,
              kMet.allocation_2022);

  // The recorded grades of the report.
  const std::pair<gw::Area, Grade> grades[] = {
      {gw::SERVICE_TO_VICTIMS, peel::common::v1::UNGRADED},
      {gw::RECORDING_DATA_ABOUT_CRIME, peel::common::v1::ADEQUATE},
      {gw::TREATING_THE_PUBLIC_FAIRLY, peel::common::v1::ADEQUATE},
      {gw::PREVENTING_CRIME, peel::common::v1::GOOD},
      {gw::RESPONDING_TO_THE_PUBLIC, peel::common::v1::INADEQUATE},
      {gw::INVESTIGATING_CRIME, peel::common::v1::REQUIRES_IMPROVEMENT},
      {gw::PROTECTING_VULNERABLE_PEOPLE,
       peel::common::v1::REQUIRES_IMPROVEMENT},
      {gw::MANAGING_OFFENDERS, peel::common::v1::REQUIRES_IMPROVEMENT},
      {gw::DISRUPTING_SERIOUS_ORGANISED_CRIME, peel::common::v1::ADEQUATE},
      {gw::BUILDING_THE_WORKFORCE, peel::common::v1::REQUIRES_IMPROVEMENT},
      {gw::STRATEGIC_PLANNING, peel::common::v1::REQUIRES_IMPROVEMENT},
  };
  for (const auto& [area, grade] : grades) {
    EXPECT_EQ(AreaOf(a, area).recorded().grade(), grade) << gw::Area_Name(area);
  }
  EXPECT_EQ(a.monitoring().level(), gw::ENGAGE);
  const auto& findings = AreaOf(a, gw::RESPONDING_TO_THE_PUBLIC).findings();
  int causes = 0;
  for (const auto& f : findings) {
    if (f.kind() == gw::CAUSE_OF_CONCERN) {
      ++causes;
      EXPECT_GT(f.recommendations_size(), 0);
    }
  }
  EXPECT_EQ(causes, 1);
  // Judgments and findings agree with each other: no consistency warning.
  for (const auto& w : a.warnings()) ADD_FAILURE() << w.message();

  // Every compared figure is compared with all 43 forces.
  int compared = 0;
  for (const auto& area : a.areas()) {
    for (const auto& f : area.figures()) {
      if (!f.has_comparison()) continue;
      ++compared;
      EXPECT_EQ(f.comparison().forces_compared(), kForces) << f.metric();
    }
  }
  EXPECT_GT(compared, 0);
}

TEST_F(DemoData, EveryNationalComparisonHasAllFortyThreeForces) {
  const auto metrics = ComparableMetrics();
  // Crime recording, 999, 101, three workforce and one SOC measure.
  EXPECT_GE(metrics.size(), 7u);
  const gw::ForceAssessment a = Assess();
  for (const auto& m : metrics) {
    gw::ForceComparison c;
    grpc::Status s = Compare(m.id(), &c);
    ASSERT_TRUE(s.ok()) << m.id() << ": " << s.error_message();
    EXPECT_EQ(c.forces_size(), kForces) << m.id();
    for (const auto& e : c.excluded()) {
      ADD_FAILURE() << m.id() << " excluded " << e.force() << ": "
                    << e.reason();
    }
    // The Met's value is the one its assessment shows.
    bool found = false;
    for (const auto& f : c.forces()) {
      if (f.force() != "metropolitan") continue;
      found = true;
      for (const auto& area : a.areas()) {
        for (const auto& fig : area.figures()) {
          if (fig.metric() == m.id()) {
            EXPECT_DOUBLE_EQ(f.value(), fig.estimate().value()) << m.id();
          }
        }
      }
    }
    EXPECT_TRUE(found) << m.id();
  }
}

// Published workforce figures at the report's own dates, asked of the
// workforce service directly.
TEST_F(DemoData, WorkforceServiceHoldsThePublishedFigures) {
  auto stub = wf::WorkforceService::NewStub(
      grpc::CreateChannel(AddressOf(suite->data_dir, "workforce"),
                          grpc::InsecureChannelCredentials()));
  auto profile = [&](const std::string& as_of) {
    wf::GetWorkforceProfileRequest req;
    req.set_force("metropolitan");
    req.set_as_of(as_of);
    wf::WorkforceProfile p;
    grpc::ClientContext ctx;
    ctx.set_deadline(Clock::now() + std::chrono::seconds(20));
    grpc::Status s = stub->GetWorkforceProfile(&ctx, req, &p);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return p;
  };
  // 19.2% of those stating their ethnicity on 31 March 2021.
  const auto y2021 = profile("2021-03-31");
  const auto& em = y2021.workforce().ethnic_minority_share();
  EXPECT_EQ(em.ratio().numerator(), kMet.ethnic_minority_2021);
  EXPECT_EQ(Pct1(em.value()), 19.2);
  // 78% of the 2,713 allocation on 31 December 2021.
  const auto dec2021 = profile("2021-12-31");
  EXPECT_EQ(dec2021.uplift().increase(), 2116);
  EXPECT_EQ(std::lround(dec2021.uplift().progress().value() * 100), 78);
  // Around 1,500 officers leaving a year.
  const auto y2022 = profile("2022-03-31");
  for (const auto& t : y2022.by_worker_type()) {
    if (t.worker_type() == wf::POLICE_OFFICER) {
      EXPECT_EQ(t.leavers(), 1500);
    }
  }
}

// Runs last in the file (gtest keeps declaration order): loads everything
// again and expects only duplicates and unchanged figures.
TEST_F(DemoData, ReimportCountsDuplicatesAndChangesNothing) {
  const gw::ForceAssessment before = Assess();
  std::vector<ImportLine> again = ReadManifest(suite->demo_dir);
  ImportAll(suite->peelctl, suite->data_dir, suite->demo_dir, &again);
  ASSERT_EQ(again.size(), suite->first_import.size());
  for (size_t i = 0; i < again.size(); ++i) {
    const auto& l = again[i];
    EXPECT_EQ(l.exit_code, 0) << l.kind << " " << l.file << ": " << l.output;
    EXPECT_EQ(l.rows, suite->first_import[i].rows) << l.file;
    EXPECT_EQ(l.accepted, 0) << l.kind << " " << l.file << ": " << l.output;
    EXPECT_EQ(l.duplicates, l.rows) << l.kind << " " << l.file;
    EXPECT_EQ(l.rejected, 0) << l.kind << " " << l.file;
  }
  const gw::ForceAssessment after = Assess();
  ASSERT_EQ(after.areas_size(), before.areas_size());
  for (int i = 0; i < after.areas_size(); ++i) {
    const auto& x = before.areas(i);
    const auto& y = after.areas(i);
    ASSERT_EQ(y.figures_size(), x.figures_size()) << x.name();
    for (int j = 0; j < x.figures_size(); ++j) {
      EXPECT_EQ(y.figures(j).metric(), x.figures(j).metric());
      EXPECT_EQ(y.figures(j).estimate().value(),
                x.figures(j).estimate().value())
          << x.figures(j).metric();
    }
    EXPECT_EQ(y.recorded().judgment_id(), x.recorded().judgment_id());
    EXPECT_EQ(y.findings_size(), x.findings_size()) << x.name();
  }
  for (const auto& m : ComparableMetrics()) {
    gw::ForceComparison c;
    ASSERT_TRUE(Compare(m.id(), &c).ok()) << m.id();
    EXPECT_EQ(c.forces_size(), kForces) << m.id();
  }
}

}  // namespace
}  // namespace peel::demo::testing
