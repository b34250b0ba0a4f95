// Bad input to soc-disruptions (issue 5's list, issue 10's sweep): every
// kind of invalid disruption and group is refused naming its field with the
// state unchanged; batch limits; deadlines.
#include "absl/strings/str_format.h"
#include "common/testing/server_bin.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "integration-tests/badinput/sweep.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"

namespace peel::reliability {
namespace {

namespace v1 = ::peel::soc::v1;

v1::OrganisedCrimeGroup Group(const std::string& id, const std::string& force) {
  v1::OrganisedCrimeGroup g;
  g.set_group_id(id);
  g.set_force(force);
  g.add_threat_areas(v1::COUNTY_LINES);
  g.set_threat_score(40);
  g.set_threat_band(v1::THREAT_BAND_HIGH);
  g.set_lead_responsible_officer_role("detective inspector");
  g.set_has_4p_plan(true);
  g.set_status(v1::ACTIVE);
  g.set_active_from("2020-01-01");
  return g;
}

class SocBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = peel::testing::ServerProcess::Start(
        {peel::testing::ServerBin("PEEL_SOC_DISRUPTIONS_BIN",
                                  PEEL_SOC_DISRUPTIONS_BIN_PATH),
         "peel.soc.v1.SocDisruptionService",
         dir_.Sub("data"),
         dir_.path(),
         {}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::SocDisruptionService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(Register(Group("kent-ocg", "kent")).ok());
    ASSERT_TRUE(Register(Group("essex-ocg", "essex")).ok());
    ASSERT_TRUE(
        disruptions_.Send(disruptions_.batch_of({disruptions_.fresh(1)})).ok());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << server_->Log();
  }

  grpc::Status Register(const v1::OrganisedCrimeGroup& g) {
    v1::RegisterGroupRequest req;
    *req.mutable_group() = g;
    v1::OrganisedCrimeGroup resp;
    grpc::ClientContext ctx;
    return stub_->RegisterGroup(&ctx, req, &resp);
  }

  std::string State() {
    peel::common::v1::DataVersion version;
    v1::GetDisruptionSummaryRequest req;
    req.set_force("kent");
    req.mutable_period()->set_start_date("2021-07-01");
    req.mutable_period()->set_end_date("2022-06-30");
    v1::DisruptionSummary summary;
    grpc::ClientContext c1, c2;
    EXPECT_TRUE(stub_->GetDataVersion(&c1, {}, &version).ok());
    EXPECT_TRUE(stub_->GetDisruptionSummary(&c2, req, &summary).ok());
    return version.SerializeAsString() + summary.SerializeAsString();
  }

  peel::testing::TempDir dir_{"badinput-soc-disruptions"};
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<v1::SocDisruptionService::Stub> stub_;
  StateFn state_ = [this] { return State(); };

  Ingest<v1::DisruptionBatch, v1::Disruption> disruptions_{
      "disruptions",
      [this](grpc::ClientContext* c) { return stub_->IngestDisruptions(c); },
      [](std::vector<v1::Disruption> ds) {
        v1::DisruptionBatch b;
        b.set_sequence(1);
        for (auto& d : ds) *b.add_disruptions() = std::move(d);
        return b;
      },
      [](int n) {
        v1::Disruption d;
        d.set_disruption_id(absl::StrFormat("badinput-d-%d", n));
        d.set_force("kent");
        d.set_group_id(n % 2 ? "kent-ocg" : "");
        d.set_date("2022-02-01");
        d.set_pillar(v1::PURSUE);
        d.set_magnitude(v1::MAJOR);
        d.set_tactic(v1::ARREST);
        d.set_arrests(2);
        d.mutable_seizures()->set_cash_pence(5000);
        return d;
      }};
};

TEST_F(SocBadInput, DisruptionsNameTheField) {
  using D = v1::Disruption;
  ExpectRecordsRefused<v1::DisruptionBatch, D>(
      disruptions_,
      {
          {"force", [](D* d) { d->set_force("atlantis"); }},
          {"disruption_id", [](D* d) { d->clear_disruption_id(); }},
          {"group_id", [](D* d) { d->set_group_id("no-such-group"); }},
          {"group_id",  // a group registered to another force
           [](D* d) { d->set_group_id("essex-ocg"); }},
          {"pillar", [](D* d) { d->clear_pillar(); }},
          {"magnitude", [](D* d) { d->clear_magnitude(); }},
          {"tactic", [](D* d) { d->clear_tactic(); }},
          {"date", [](D* d) { d->set_date("2999-01-01"); }},  // future
          {"date", [](D* d) { d->set_date("2022-02-30"); }},
          {"date", [](D* d) { d->clear_date(); }},
          {"arrests", [](D* d) { d->set_arrests(-1); }},
          {"charges", [](D* d) { d->set_charges(-1); }},
          {"people_safeguarded", [](D* d) { d->set_people_safeguarded(-3); }},
          {"deal_lines_closed", [](D* d) { d->set_deal_lines_closed(-1); }},
          {"seizures.cash_pence",
           [](D* d) { d->mutable_seizures()->set_cash_pence(-100); }},
          {"seizures.drugs_grams",
           [](D* d) { d->mutable_seizures()->set_drugs_grams(-1); }},
          {"seizures.firearms",
           [](D* d) { d->mutable_seizures()->set_firearms(-1); }},
          {"seizures.vehicles",
           [](D* d) { d->mutable_seizures()->set_vehicles(-1); }},
          {"operation", [](D* d) { d->set_operation("op with spaces"); }},
      },
      state_);
}

TEST_F(SocBadInput, GroupsNameTheField) {
  using G = v1::OrganisedCrimeGroup;
  auto reg = [this](std::function<void(G*)> spoil) {
    return [this, spoil] {
      G g = Group("kent-ocg-2", "kent");
      spoil(&g);
      return Register(g);
    };
  };
  const auto invalid = grpc::StatusCode::INVALID_ARGUMENT;
  ExpectUnaryRefused(
      {
          {"unknown force", reg([](G* g) { g->set_force("atlantis"); }),
           invalid, "group.force"},
          {"no threat area", reg([](G* g) { g->clear_threat_areas(); }),
           invalid, "group.threat_areas"},
          {"threat area twice",
           reg([](G* g) { g->add_threat_areas(v1::COUNTY_LINES); }), invalid,
           "group.threat_areas[1]"},
          {"negative score", reg([](G* g) { g->set_threat_score(-1); }),
           invalid, "group.threat_score"},
          {"band unspecified", reg([](G* g) { g->clear_threat_band(); }),
           invalid, "group.threat_band"},
          {"no officer role",
           reg([](G* g) { g->clear_lead_responsible_officer_role(); }), invalid,
           "group.lead_responsible_officer_role"},
          {"mapped in the future",
           reg([](G* g) { g->set_active_from("2999-01-01"); }), invalid,
           "group.active_from"},
          {"archived without a date",
           reg([](G* g) { g->set_status(v1::ARCHIVED); }), invalid,
           "group.archived_on"},
          {"same id, other content",
           [this] {
             G g = Group("kent-ocg", "kent");
             g.set_threat_score(1);
             return Register(g);
           },
           grpc::StatusCode::ALREADY_EXISTS, ""},
          {"moved to another force",
           [this] {
             v1::UpdateGroupRequest req;
             *req.mutable_group() = Group("kent-ocg", "essex");
             v1::OrganisedCrimeGroup resp;
             grpc::ClientContext ctx;
             return stub_->UpdateGroup(&ctx, req, &resp);
           },
           invalid, "group.force"},
      },
      state_);
}

TEST_F(SocBadInput, EmptyLongAndOversizedBatchesAreRefused) {
  ExpectBatchLimits<v1::DisruptionBatch, v1::Disruption>(
      disruptions_,
      [](v1::Disruption* d, std::string s) { d->set_operation(s); }, state_);
}

TEST_F(SocBadInput, ShortDeadlineLeavesNoPartialWrite) {
  ExpectDeadlineLeavesNoPartialWrite(disruptions_, state_);
}

}  // namespace
}  // namespace peel::reliability
