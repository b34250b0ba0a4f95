// The workforce adapter end to end: the real workforce binary with the
// Met's record-level workforce fixture, the real gateway in front of it.
// The assessment's workforce figures are the ones the workforce service's
// own tests assert from the reference report.
#include <cmath>
#include <filesystem>

#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/gateway/tests/env.h"
#include "services/workforce/tests/met_fixture.h"

namespace peel::gateway {
namespace {

namespace wf = ::peel::workforce::v1;
using ::peel::workforce::testing::kMet;
using ::testing::HasSubstr;

double Pct1(double p) { return std::round(p * 1000) / 10; }

class GatewayWorkforce : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.Sub("wf"));
    std::filesystem::create_directories(dir_.Sub("gw"));
    auto w = peel::testing::ServerProcess::Start(
        {testing::Env("PEEL_WORKFORCE_BIN"),
         "peel.workforce.v1.WorkforceService",
         dir_.Sub("wf-data"),
         dir_.Sub("wf"),
         {}});
    ASSERT_TRUE(w.ok()) << w.status();
    workforce_ = std::move(*w);
    wf_stub_ = wf::WorkforceService::NewStub(grpc::CreateChannel(
        workforce_->address(), grpc::InsecureChannelCredentials()));
    LoadMet();
    auto g = peel::testing::ServerProcess::Start(
        {testing::Env("PEEL_GATEWAY_BIN"),
         "peel.gateway.v1.AssessmentGateway",
         dir_.Sub("gw-data"),
         dir_.Sub("gw"),
         {"--workforce_addr=" + workforce_->address(),
          "--policy=" + testing::Env("PEEL_GATEWAY_POLICY")}});
    ASSERT_TRUE(g.ok()) << g.status();
    gateway_ = std::move(*g);
    stub_ = v1::AssessmentGateway::NewStub(grpc::CreateChannel(
        gateway_->address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (HasFailure()) {
      if (workforce_) std::cerr << "workforce log:\n" << workforce_->Log();
      if (gateway_) std::cerr << "gateway log:\n" << gateway_->Log();
    }
  }

  void LoadMet() {
    namespace fx = ::peel::workforce::testing;
    auto people = peel::testing::SendBatches<wf::PersonRecordBatch>(
        [&](grpc::ClientContext* c) {
          return wf_stub_->IngestPersonRecords(c);
        },
        fx::PersonBatches(fx::MetPeople(), 1000), std::chrono::seconds(120));
    ASSERT_TRUE(people.ok()) << people.status();
    auto events = peel::testing::SendBatches<wf::WellbeingEventBatch>(
        [&](grpc::ClientContext* c) {
          return wf_stub_->IngestWellbeingEvents(c);
        },
        fx::EventBatches(fx::MetWellbeingEvents(), 500));
    ASSERT_TRUE(events.ok()) << events.status();
    {
      wf::PutUpliftTargetRequest req;
      *req.mutable_target() = fx::MetUpliftTarget();
      wf::UpliftTarget resp;
      grpc::ClientContext ctx;
      ASSERT_TRUE(wf_stub_->PutUpliftTarget(&ctx, req, &resp).ok());
    }
    wf::PutPopulationReferenceRequest req;
    *req.mutable_reference() = fx::MetPopulation();
    wf::PopulationReference resp;
    grpc::ClientContext ctx;
    ASSERT_TRUE(wf_stub_->PutPopulationReference(&ctx, req, &resp).ok());
  }

  // The Met's assessment for the year ending `end`.
  v1::AreaAssessment Workforce(const std::string& start,
                               const std::string& end) {
    v1::GetForceAssessmentRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date(start);
    req.mutable_period()->set_end_date(end);
    v1::ForceAssessment a;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    grpc::Status s = stub_->GetForceAssessment(&ctx, req, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const auto& b : a.backends()) {
      if (b.backend() == v1::WORKFORCE) {
        EXPECT_TRUE(b.available()) << b.reason();
      }
    }
    for (const auto& area : a.areas()) {
      if (area.area() == v1::BUILDING_THE_WORKFORCE) return area;
    }
    ADD_FAILURE() << "no workforce area";
    return {};
  }
  static const v1::KeyFigure* Figure(const v1::AreaAssessment& a,
                                     const std::string& metric) {
    for (const auto& f : a.figures()) {
      if (f.metric() == metric) return &f;
    }
    ADD_FAILURE() << "no figure " << metric << " in " << a.DebugString();
    return nullptr;
  }

  peel::testing::TempDir dir_{"gateway-workforce"};
  std::unique_ptr<peel::testing::ServerProcess> workforce_, gateway_;
  std::unique_ptr<wf::WorkforceService::Stub> wf_stub_;
  std::unique_ptr<v1::AssessmentGateway::Stub> stub_;
};

TEST_F(GatewayWorkforce, MetWorkforceFiguresInTheAssessment) {
  // Year to 31 March 2021: 19.2% of those stating their ethnicity were from
  // an ethnic minority (8,160 of 42,500).
  {
    const v1::AreaAssessment area = Workforce("2020-04-01", "2021-03-31");
    EXPECT_TRUE(area.available());
    const v1::KeyFigure* em = Figure(area, "workforce.ethnic_minority_share");
    ASSERT_NE(em, nullptr);
    EXPECT_EQ(em->estimate().ratio().numerator(), kMet.ethnic_minority_2021);
    EXPECT_EQ(em->estimate().ratio().denominator(),
              44050 - kMet.not_stated_2021);
    EXPECT_EQ(Pct1(em->estimate().value()), 19.2);
    EXPECT_EQ(em->estimate().provenance().force(), "metropolitan");
  }
  // To 31 December 2021: 78% of the uplift allocation of 2,713 recruited;
  // the policy's bands (adequate from 90%, requires improvement from 75%)
  // make that REQUIRES_IMPROVEMENT.
  {
    const v1::AreaAssessment area = Workforce("2021-01-01", "2021-12-31");
    const v1::KeyFigure* up = Figure(area, "workforce.uplift_progress");
    ASSERT_NE(up, nullptr);
    EXPECT_EQ(up->estimate().ratio().numerator(), 2116);
    EXPECT_EQ(up->estimate().ratio().denominator(), kMet.allocation_2022);
    EXPECT_EQ(std::lround(up->estimate().value() * 100), 78);
    EXPECT_EQ(area.indicative_grade(), peel::common::v1::REQUIRES_IMPROVEMENT)
        << area.indicative_basis();
  }
  // Year to 31 March 2022: 1,500 officers left (over a mean headcount of
  // 31,945.5); the January to March 2022 occupational-health wait averaged
  // 12 days.
  {
    const v1::AreaAssessment area = Workforce("2021-04-01", "2022-03-31");
    const v1::KeyFigure* leavers = Figure(area, "workforce.leaver_rate");
    ASSERT_NE(leavers, nullptr);
    EXPECT_NEAR(leavers->estimate().value(), 1500.0 / 31945.5, 1e-12);
    const v1::KeyFigure* wait = Figure(area, "workforce.oh_wait_days");
    ASSERT_NE(wait, nullptr);
    EXPECT_DOUBLE_EQ(wait->estimate().value(), 12);
    EXPECT_GT(wait->estimate().sample_size(), 0);
    EXPECT_THAT(wait->estimate().provenance().method(), HasSubstr("2022-Q1"));
    // The national comparison of the leaver rate names the Met.
    if (leavers->has_comparison()) {
      EXPECT_NEAR(leavers->comparison().force_value(), 1500.0 / 31945.5, 1e-12);
    } else {
      EXPECT_FALSE(leavers->comparison_note().empty());
    }
  }
}

}  // namespace
}  // namespace peel::gateway
