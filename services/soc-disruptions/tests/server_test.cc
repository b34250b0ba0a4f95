// Starts the real soc-disruptions binary on port 0 with a fresh store and
// talks to it over gRPC.
#include <cmath>
#include <cstdlib>
#include <thread>

#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "services/soc-disruptions/tests/met_fixture.h"

namespace peel::soc {
namespace {

using peel::common::v1::BatchAck;
using peel::common::v1::RecordResult;
using Stub = v1::SocDisruptionService::Stub;

constexpr char kService[] = "peel.soc.v1.SocDisruptionService";
constexpr int64_t kMetPopulation = 8991550;  // ONS mid-2020, common/reference

int Pct(double p) { return static_cast<int>(std::lround(p * 100)); }

v1::GetDisruptionSummaryRequest YearTo(const std::string& force,
                                       const std::string& start,
                                       const std::string& end) {
  v1::GetDisruptionSummaryRequest req;
  req.set_force(force);
  req.mutable_period()->set_start_date(start);
  req.mutable_period()->set_end_date(end);
  return req;
}

// Independent totals straight from the fixture's records.
struct Expected {
  int64_t disruptions = 0, arrests = 0, charges = 0, safeguarded = 0;
  int64_t cash = 0, drugs = 0, firearms = 0, vehicles = 0, lines = 0;
  int64_t individuals = 0;
  std::array<int64_t, 6> magnitude{};
};
Expected Tally(const std::vector<v1::Disruption>& ds, const std::string& from,
               const std::string& to) {
  Expected e;
  for (const auto& d : ds) {
    if (d.date() < from || d.date() > to) continue;
    ++e.disruptions;
    e.arrests += d.arrests();
    e.charges += d.charges();
    e.safeguarded += d.people_safeguarded();
    e.cash += d.seizures().cash_pence();
    e.drugs += d.seizures().drugs_grams();
    e.firearms += d.seizures().firearms();
    e.vehicles += d.seizures().vehicles();
    e.lines += d.deal_lines_closed();
    if (d.group_id().empty()) ++e.individuals;
    ++e.magnitude[static_cast<size_t>(d.magnitude())];
  }
  return e;
}

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

class SocServer : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("PEEL_SOC_DISRUPTIONS_BIN");
    ASSERT_NE(bin, nullptr) << "PEEL_SOC_DISRUPTIONS_BIN not set";
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
    stub_ = v1::SocDisruptionService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }
  void Restart() {
    ASSERT_EQ(server_->Terminate(), 0) << server_->Log();
    Start();
  }

  static void Deadline(grpc::ClientContext* ctx) {
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(30));
  }

  grpc::Status Register(const v1::OrganisedCrimeGroup& g) {
    v1::RegisterGroupRequest req;
    *req.mutable_group() = g;
    v1::OrganisedCrimeGroup resp;
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return stub_->RegisterGroup(&ctx, req, &resp);
  }
  grpc::Status Update(const v1::OrganisedCrimeGroup& g) {
    v1::UpdateGroupRequest req;
    *req.mutable_group() = g;
    v1::OrganisedCrimeGroup resp;
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return stub_->UpdateGroup(&ctx, req, &resp);
  }
  grpc::Status GetGroup(const std::string& id, v1::OrganisedCrimeGroup* out) {
    v1::GetGroupRequest req;
    req.set_group_id(id);
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return stub_->GetGroup(&ctx, req, out);
  }
  void RegisterFixtureGroups() {
    for (const auto& g : testing::MetGroups()) {
      ASSERT_TRUE(Register(g).ok()) << g.group_id();
    }
    ASSERT_TRUE(Register(testing::KentGroup()).ok());
  }

  absl::StatusOr<std::vector<BatchAck>> Send(
      const std::vector<v1::DisruptionBatch>& batches) {
    return peel::testing::SendBatches<v1::DisruptionBatch>(
        [&](grpc::ClientContext* ctx) { return stub_->IngestDisruptions(ctx); },
        batches);
  }
  int64_t SendAll(const std::vector<v1::Disruption>& ds, int size) {
    auto acks = Send(testing::Batches(ds, size));
    EXPECT_TRUE(acks.ok()) << acks.status();
    int64_t accepted = 0;
    if (acks.ok()) {
      for (const auto& a : *acks) accepted += a.accepted();
    }
    return accepted;
  }

  grpc::Status Summary(const v1::GetDisruptionSummaryRequest& req,
                       v1::DisruptionSummary* out) {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return stub_->GetDisruptionSummary(&ctx, req, out);
  }
  v1::DisruptionSummary Year2022() {
    v1::DisruptionSummary s;
    grpc::Status st =
        Summary(YearTo("metropolitan", "2021-07-01", "2022-06-30"), &s);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return s;
  }
  v1::OperationSummary Operation(const std::string& op) {
    v1::GetOperationSummaryRequest req;
    req.set_force("metropolitan");
    req.set_operation(op);
    v1::OperationSummary resp;
    grpc::ClientContext ctx;
    Deadline(&ctx);
    grpc::Status st = stub_->GetOperationSummary(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }
  std::vector<v1::Disruption> History(const std::string& group_id,
                                      grpc::Status* status = nullptr) {
    v1::StreamGroupHistoryRequest req;
    req.set_group_id(group_id);
    grpc::ClientContext ctx;
    Deadline(&ctx);
    auto reader = stub_->StreamGroupHistory(&ctx, req);
    std::vector<v1::Disruption> out;
    v1::Disruption d;
    while (reader->Read(&d)) out.push_back(d);
    grpc::Status st = reader->Finish();
    if (status) *status = st;
    return out;
  }
  uint64_t DataVersion() {
    peel::common::v1::DataVersion v;
    grpc::ClientContext ctx;
    Deadline(&ctx);
    EXPECT_TRUE(
        stub_->GetDataVersion(&ctx, peel::common::v1::DataVersionRequest(), &v)
            .ok());
    EXPECT_EQ(v.service(), kService);
    return v.version();
  }

  peel::testing::TempDir dir_{"soc-disruptions-test"};
  std::string binary_;
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<Stub> stub_;
};

// The published figures of the year to 30 June 2022, and what the fixture's
// records add up to for everything the report does not publish.
void ExpectPublishedYear(const v1::DisruptionSummary& s,
                         const std::vector<v1::Disruption>& fixture) {
  EXPECT_EQ(s.disruptions(), 8021);
  EXPECT_EQ(s.change().previous(), 4795);
  EXPECT_EQ(s.change().difference(), 8021 - 4795);
  EXPECT_TRUE(s.change().relative_known());
  EXPECT_NEAR(s.change().relative(), 3226.0 / 4795, 1e-12);
  EXPECT_EQ(s.change().previous_period().start_date(), "2020-07-01");
  EXPECT_EQ(s.change().previous_period().end_date(), "2021-06-30");

  ASSERT_EQ(s.by_pillar_size(), 4);
  const std::array<std::pair<v1::Pillar, std::pair<int, int>>, 4> pillars = {
      {{v1::PURSUE, {6257, 78}},
       {v1::PREVENT, {561, 7}},
       {v1::PROTECT, {802, 10}},
       {v1::PREPARE, {401, 5}}}};
  for (size_t i = 0; i < pillars.size(); ++i) {
    const auto& p = s.by_pillar(static_cast<int>(i));
    EXPECT_EQ(p.pillar(), pillars[i].first);
    EXPECT_EQ(p.share().ratio().numerator(), pillars[i].second.first);
    EXPECT_EQ(p.share().ratio().denominator(), 8021);
    EXPECT_EQ(Pct(p.share().value()), pillars[i].second.second)
        << v1::Pillar_Name(p.pillar());
    EXPECT_EQ(p.share().provenance().force(), "metropolitan");
  }

  // Not published: checked against the fixture's own records.
  const Expected e = Tally(fixture, "2021-07-01", "2022-06-30");
  ASSERT_EQ(e.disruptions, 8021);
  ASSERT_EQ(s.by_magnitude_size(), 5);
  int64_t magnitudes = 0;
  for (const auto& m : s.by_magnitude()) {
    EXPECT_EQ(m.share().ratio().numerator(),
              e.magnitude[static_cast<size_t>(m.magnitude())])
        << v1::Magnitude_Name(m.magnitude());
    magnitudes += m.share().ratio().numerator();
  }
  EXPECT_EQ(magnitudes, 8021);
  EXPECT_EQ(s.seizures().cash_pence(), e.cash);
  EXPECT_EQ(s.seizures().drugs_grams(), e.drugs);
  EXPECT_EQ(s.seizures().firearms(), e.firearms);
  EXPECT_EQ(s.seizures().vehicles(), e.vehicles);
  EXPECT_EQ(s.deal_lines_closed(), e.lines);
  EXPECT_EQ(s.arrests(), e.arrests);
  EXPECT_EQ(s.charges(), e.charges);
  EXPECT_EQ(s.people_safeguarded(), e.safeguarded);
  EXPECT_EQ(s.against_individuals(), e.individuals);

  // 8,021 / 8,991,550 × 1,000 = 0.89206 per 1,000 population.
  EXPECT_EQ(s.per_1000_population().ratio().numerator(), 8021);
  EXPECT_EQ(s.per_1000_population().ratio().denominator(), kMetPopulation);
  EXPECT_NEAR(s.per_1000_population().value(), 0.8920598, 1e-7);

  // Groups (met_fixture.h): active on 2022-06-30 are 000..139; with a plan
  // those with number % 7 in {0,1,2}: 20 of each residue = 60 of 140.
  EXPECT_EQ(s.groups_with_4p_plan().ratio().numerator(), 60);
  EXPECT_EQ(s.groups_with_4p_plan().ratio().denominator(), 140);
  EXPECT_EQ(s.groups_active_in_period(), 140);
  EXPECT_EQ(s.groups_without_disruption(), 10);
  ASSERT_EQ(s.groups_without_disruption_ids_size(), 10);
  EXPECT_EQ(s.groups_without_disruption_ids(0), "met-ocg-120");
  EXPECT_EQ(s.groups_without_disruption_ids(9), "met-ocg-129");
}

void ExpectProject(const v1::OperationSummary& p) {
  // "Since 2018 ... 261 vehicles, 743 kg of drugs and 15 firearms ...
  // £2.4m in cash".
  EXPECT_EQ(p.seizures().vehicles(), 261);
  EXPECT_EQ(p.seizures().drugs_grams(), 743000);
  EXPECT_EQ(p.seizures().firearms(), 15);
  EXPECT_EQ(p.seizures().cash_pence(), 240000000);
  EXPECT_EQ(p.first_date(), "2018-01-01");
  EXPECT_LE(p.last_date(), "2022-06-30");
  EXPECT_GT(p.last_date(), "2021-07-01");
}

TEST_F(SocServer, FixtureReproducesReportAndSurvivesRestart) {
  RegisterFixtureGroups();
  const auto fixture = testing::MetDisruptions();
  // Half before a restart, half after: the aggregates and the groups the
  // server holds in memory must be reloaded from the store.
  const size_t half = fixture.size() / 2;
  const std::vector<v1::Disruption> first(fixture.begin(),
                                          fixture.begin() + half);
  const std::vector<v1::Disruption> second(fixture.begin() + half,
                                           fixture.end());
  EXPECT_EQ(SendAll(first, 500), static_cast<int64_t>(half));
  Restart();
  EXPECT_EQ(SendAll(second, 500), static_cast<int64_t>(second.size()));
  auto replay = Send(testing::Batches(first, 1000));
  ASSERT_TRUE(replay.ok()) << replay.status();
  for (const auto& a : *replay) EXPECT_EQ(a.accepted(), 0);

  const v1::DisruptionSummary year = Year2022();
  ExpectPublishedYear(year, fixture);
  // The year before, and its own previous year (project and Orochi work
  // from mid-2019 to mid-2020 only).
  v1::DisruptionSummary before;
  ASSERT_TRUE(
      Summary(YearTo("metropolitan", "2020-07-01", "2021-06-30"), &before)
          .ok());
  EXPECT_EQ(before.disruptions(), 4795);
  EXPECT_EQ(before.change().previous(),
            Tally(fixture, "2019-07-01", "2020-06-30").disruptions);
  // Groups on 2021-06-30: 000..129 active, 57 with a plan (residues 0..3 of
  // 130 have 19 groups each, the others 18).
  EXPECT_EQ(before.groups_with_4p_plan().ratio().numerator(), 57);
  EXPECT_EQ(before.groups_with_4p_plan().ratio().denominator(), 130);
  EXPECT_EQ(before.groups_active_in_period(), 140);
  EXPECT_EQ(before.groups_without_disruption(), 0);

  ExpectProject(Operation(testing::kProject));
  const v1::OperationSummary orochi = Operation(testing::kOrochi);
  EXPECT_EQ(orochi.deal_lines_closed(), 952);
  EXPECT_GT(orochi.arrests(), 2000);

  const uint64_t version = DataVersion();
  Restart();
  EXPECT_EQ(Year2022().SerializeAsString(), year.SerializeAsString());
  ExpectProject(Operation(testing::kProject));
  EXPECT_EQ(DataVersion(), version);
  v1::OrganisedCrimeGroup g;
  ASSERT_TRUE(GetGroup("met-ocg-007", &g).ok());
  EXPECT_EQ(g.SerializeAsString(), testing::MetGroups()[7].SerializeAsString());
}

TEST_F(SocServer, SameStreamTwiceChangesNothing) {
  RegisterFixtureGroups();
  const auto fixture = testing::MetDisruptions();
  const auto batches = testing::Batches(fixture, 1000);
  const uint64_t empty_version = DataVersion();
  ASSERT_TRUE(Send(batches).ok());
  EXPECT_GT(DataVersion(), empty_version);
  const std::string before = Year2022().SerializeAsString();
  const auto history = History("met-ocg-001");
  const uint64_t version = DataVersion();

  auto again = Send(batches);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), batches.size());
  for (size_t i = 0; i < again->size(); ++i) {
    const BatchAck& a = (*again)[i];
    EXPECT_EQ(a.sequence(), batches[i].sequence());
    EXPECT_EQ(a.accepted(), 0);
    EXPECT_EQ(a.duplicates(), batches[i].disruptions_size());
    EXPECT_EQ(a.results(0).outcome(), RecordResult::DUPLICATE);
  }
  EXPECT_EQ(Year2022().SerializeAsString(), before);
  EXPECT_EQ(History("met-ocg-001").size(), history.size());
  EXPECT_EQ(DataVersion(), version);
  // Registering the same groups again is accepted as identical.
  EXPECT_TRUE(Register(testing::MetGroups()[3]).ok());
}

TEST_F(SocServer, ConcurrentDuplicateStreamsCountEachDisruptionOnce) {
  RegisterFixtureGroups();
  const auto fixture = testing::MetDisruptions();
  const auto batches = testing::Batches(fixture, 250);
  std::array<int64_t, 3> accepted{}, duplicates{};
  std::vector<std::thread> threads;
  for (size_t t = 0; t < accepted.size(); ++t) {
    threads.emplace_back([&, t] {
      auto acks = Send(batches);
      ASSERT_TRUE(acks.ok()) << acks.status();
      for (const auto& a : *acks) {
        accepted[t] += a.accepted();
        duplicates[t] += a.duplicates();
      }
    });
  }
  for (auto& t : threads) t.join();
  const int64_t n = static_cast<int64_t>(fixture.size());
  EXPECT_EQ(accepted[0] + accepted[1] + accepted[2], n);
  EXPECT_EQ(duplicates[0] + duplicates[1] + duplicates[2], 2 * n);
  ExpectPublishedYear(Year2022(), fixture);
  ExpectProject(Operation(testing::kProject));
}

TEST_F(SocServer, BadDisruptionsAreRejectedAloneAndStoreNothing) {
  RegisterFixtureGroups();
  const auto fixture = testing::MetDisruptions();
  ASSERT_EQ(SendAll(fixture, 1000), static_cast<int64_t>(fixture.size()));
  const v1::DisruptionSummary before = Year2022();

  v1::Disruption good;
  good.set_disruption_id("new-good");
  good.set_force("metropolitan");
  good.set_group_id("met-ocg-005");
  good.set_date("2022-03-01");
  good.set_pillar(v1::PROTECT);
  good.set_magnitude(v1::MAJOR);
  good.set_tactic(v1::SAFEGUARDING);
  good.set_people_safeguarded(300);

  struct Case {
    std::string id;
    std::string field;
    std::function<void(v1::Disruption*)> spoil;
  };
  const std::string tomorrow = dates::FormatIsoDate(
      dates::DayOfUnixSeconds(static_cast<int64_t>(std::time(nullptr))) + 1);
  const std::vector<Case> cases = {
      {"bad-force", "force", [](v1::Disruption* d) { d->set_force("gotham"); }},
      {"bad-group", "group_id",
       [](v1::Disruption* d) { d->set_group_id("met-ocg-999"); }},
      {"other-force-group", "group_id",
       [](v1::Disruption* d) { d->set_group_id("kent-ocg-001"); }},
      {"no-pillar", "pillar", [](v1::Disruption* d) { d->clear_pillar(); }},
      {"no-magnitude", "magnitude",
       [](v1::Disruption* d) { d->clear_magnitude(); }},
      {"negative-cash", "seizures.cash_pence",
       [](v1::Disruption* d) { d->mutable_seizures()->set_cash_pence(-100); }},
      {"negative-arrests", "arrests",
       [](v1::Disruption* d) { d->set_arrests(-1); }},
      {"future", "date", [&](v1::Disruption* d) { d->set_date(tomorrow); }},
      {"bad-date", "date",
       [](v1::Disruption* d) { d->set_date("2022-02-30"); }},
  };
  v1::DisruptionBatch batch;
  batch.set_sequence(41);
  *batch.add_disruptions() = good;
  for (const auto& c : cases) {
    v1::Disruption d = good;
    d.set_disruption_id(c.id);
    c.spoil(&d);
    *batch.add_disruptions() = d;
  }
  // A stored id with different content.
  v1::Disruption changed = fixture[100];
  changed.set_arrests(changed.arrests() + 5);
  *batch.add_disruptions() = changed;

  auto acks = Send({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  const BatchAck& ack = (*acks)[0];
  EXPECT_EQ(ack.sequence(), 41u);
  EXPECT_EQ(ack.accepted(), 1);
  EXPECT_EQ(ack.rejected(), static_cast<int>(cases.size()) + 1);
  ASSERT_EQ(ack.results_size(), static_cast<int>(cases.size()) + 2);
  EXPECT_EQ(ack.results(0).outcome(), RecordResult::ACCEPTED);
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& r = ack.results(static_cast<int>(i) + 1);
    EXPECT_EQ(r.id(), cases[i].id);
    EXPECT_EQ(r.outcome(), RecordResult::REJECTED);
    ASSERT_EQ(r.violations_size(), 1) << cases[i].id;
    EXPECT_EQ(r.violations(0).field(),
              absl::StrCat("disruptions[", i + 1, "].", cases[i].field));
  }
  const auto& other = ack.results(3);
  EXPECT_NE(other.violations(0).description().find("registered to kent"),
            std::string::npos)
      << other.violations(0).description();
  EXPECT_EQ(
      ack.results(static_cast<int>(cases.size()) + 1).violations(0).field(),
      "id");

  // Only the good disruption changed anything.
  const v1::DisruptionSummary after = Year2022();
  EXPECT_EQ(after.disruptions(), before.disruptions() + 1);
  EXPECT_EQ(after.people_safeguarded(), before.people_safeguarded() + 300);
  EXPECT_EQ(after.arrests(), before.arrests());
  EXPECT_EQ(after.seizures().cash_pence(), before.seizures().cash_pence());
  // Nothing of the rejected records was stored: sent again, corrected, they
  // are new (accepted), not duplicates.
  v1::DisruptionBatch fixed;
  fixed.set_sequence(42);
  for (const auto& c : cases) {
    v1::Disruption d = good;
    d.set_disruption_id(c.id);
    *fixed.add_disruptions() = d;
  }
  auto fixed_acks = Send({fixed});
  ASSERT_TRUE(fixed_acks.ok());
  EXPECT_EQ((*fixed_acks)[0].accepted(), static_cast<int>(cases.size()));
  EXPECT_EQ(History("kent-ocg-001").size(), 0u);

  // Batch-level errors end the stream with a status.
  v1::DisruptionBatch empty;
  EXPECT_EQ(Send({empty}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SocServer, RepeatsInsideOneBatchAreResolvedAgainstTheFirst) {
  RegisterFixtureGroups();
  v1::Disruption d;
  d.set_disruption_id("repeat-1");
  d.set_force("metropolitan");
  d.set_date("2022-01-10");
  d.set_pillar(v1::PURSUE);
  d.set_magnitude(v1::MINOR);
  d.set_tactic(v1::ARREST);
  d.set_arrests(2);
  v1::Disruption other = d;
  other.set_arrests(7);
  v1::DisruptionBatch batch;
  batch.set_sequence(5);
  *batch.add_disruptions() = d;
  *batch.add_disruptions() = d;      // same bytes: duplicate
  *batch.add_disruptions() = other;  // same id, other bytes: rejected
  auto acks = Send({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  const BatchAck& ack = (*acks)[0];
  ASSERT_EQ(ack.results_size(), 3);
  EXPECT_EQ(ack.results(0).outcome(), RecordResult::ACCEPTED);
  EXPECT_EQ(ack.results(1).outcome(), RecordResult::DUPLICATE);
  EXPECT_EQ(ack.results(2).outcome(), RecordResult::REJECTED);
  EXPECT_EQ(ack.results(2).violations(0).field(), "id");
  const v1::DisruptionSummary s = Year2022();
  EXPECT_EQ(s.disruptions(), 1);
  EXPECT_EQ(s.arrests(), 2);
}

TEST_F(SocServer, BadGroupsNameTheField) {
  struct Case {
    std::string field;
    std::function<void(v1::OrganisedCrimeGroup*)> spoil;
  };
  const std::vector<Case> cases = {
      {"group.force", [](auto* g) { g->set_force("atlantis"); }},
      {"group.group_id", [](auto* g) { g->set_group_id("has space"); }},
      {"group.threat_areas", [](auto* g) { g->clear_threat_areas(); }},
      {"group.threat_areas[1]",
       [](auto* g) { g->add_threat_areas(g->threat_areas(0)); }},
      {"group.threat_score", [](auto* g) { g->set_threat_score(-5); }},
      {"group.threat_band", [](auto* g) { g->clear_threat_band(); }},
      {"group.lead_responsible_officer_role",
       [](auto* g) { g->clear_lead_responsible_officer_role(); }},
      {"group.status", [](auto* g) { g->clear_status(); }},
      {"group.active_from", [](auto* g) { g->set_active_from("2999-01-01"); }},
      {"group.archived_on", [](auto* g) { g->set_status(v1::ARCHIVED); }},
      {"group.archived_on", [](auto* g) { g->set_archived_on("2021-01-01"); }},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::OrganisedCrimeGroup g = testing::MetGroups()[0];
    g.set_group_id(absl::StrCat("bad-", i));
    cases[i].spoil(&g);
    grpc::Status s = Register(g);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << cases[i].field;
    auto v = Violations(s);
    ASSERT_FALSE(v.empty()) << cases[i].field;
    EXPECT_EQ(v[0].field(), cases[i].field) << s.error_message();
    v1::OrganisedCrimeGroup stored;
    EXPECT_EQ(GetGroup(g.group_id(), &stored).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  const v1::OrganisedCrimeGroup g = testing::MetGroups()[0];
  ASSERT_TRUE(Register(g).ok());
  v1::OrganisedCrimeGroup changed = g;
  changed.set_threat_score(1);
  EXPECT_EQ(Register(changed).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::OrganisedCrimeGroup moved = g;
  moved.set_force("kent");
  grpc::Status s = Update(moved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_FALSE(Violations(s).empty());
  EXPECT_EQ(Violations(s)[0].field(), "group.force");
  v1::OrganisedCrimeGroup unknown = g;
  unknown.set_group_id("never-registered");
  EXPECT_EQ(Update(unknown).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SocServer, UpdatingAGroupChangesPlanCoverageAndKeepsItsHistory) {
  RegisterFixtureGroups();
  const auto fixture = testing::MetDisruptions();
  ASSERT_EQ(SendAll(fixture, 1000), static_cast<int64_t>(fixture.size()));
  v1::OrganisedCrimeGroup g = testing::MetGroups()[3];  // fraud: no plan
  ASSERT_FALSE(g.has_4p_plan());
  g.set_has_4p_plan(true);
  ASSERT_TRUE(Update(g).ok());
  v1::DisruptionSummary s = Year2022();
  EXPECT_EQ(s.groups_with_4p_plan().ratio().numerator(), 61);
  EXPECT_EQ(s.groups_without_disruption(), 10);
  // Archiving a group before the period takes it out of the period.
  v1::OrganisedCrimeGroup a = testing::MetGroups()[125];
  a.set_status(v1::ARCHIVED);
  a.set_archived_on("2021-05-31");
  ASSERT_TRUE(Update(a).ok());
  s = Year2022();
  EXPECT_EQ(s.groups_with_4p_plan().ratio().denominator(), 139);
  EXPECT_EQ(s.groups_active_in_period(), 139);
  EXPECT_EQ(s.groups_without_disruption(), 9);
  v1::OrganisedCrimeGroup stored;
  ASSERT_TRUE(GetGroup("met-ocg-125", &stored).ok());
  EXPECT_EQ(stored.archived_on(), "2021-05-31");
  EXPECT_FALSE(History("met-ocg-125").empty());
}

TEST_F(SocServer, GroupHistoryStreamsInDateOrder) {
  RegisterFixtureGroups();
  auto fixture = testing::MetDisruptions();
  std::reverse(fixture.begin(), fixture.end());  // arrive newest first
  ASSERT_EQ(SendAll(fixture, 700), static_cast<int64_t>(fixture.size()));
  const std::string group = "met-ocg-014";
  std::vector<std::string> expected_ids;
  for (const auto& d : fixture) {
    if (d.group_id() == group) expected_ids.push_back(d.disruption_id());
  }
  ASSERT_GT(expected_ids.size(), 50u);
  grpc::Status st;
  const auto history = History(group, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(history.size(), expected_ids.size());
  for (size_t i = 1; i < history.size(); ++i) {
    EXPECT_LE(history[i - 1].date(), history[i].date());
    EXPECT_EQ(history[i].group_id(), group);
  }
  std::sort(expected_ids.begin(), expected_ids.end());
  std::vector<std::string> got;
  for (const auto& d : history) got.push_back(d.disruption_id());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected_ids);
  // Unknown group: NOT_FOUND; a bad id: INVALID_ARGUMENT.
  History("met-ocg-999", &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  History("", &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SocServer, ListGroupsStreamsAForcesGroups) {
  RegisterFixtureGroups();
  v1::ListGroupsRequest req;
  req.set_force("metropolitan");
  grpc::ClientContext ctx;
  Deadline(&ctx);
  auto reader = stub_->ListGroups(&ctx, req);
  v1::OrganisedCrimeGroup g;
  int n = 0;
  while (reader->Read(&g)) {
    EXPECT_EQ(g.force(), "metropolitan");
    ++n;
  }
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(n, testing::kMetGroups);
}

TEST_F(SocServer, NationalViewComparesForcesPerThousand) {
  RegisterFixtureGroups();
  const auto fixture = testing::MetDisruptions();
  ASSERT_EQ(SendAll(fixture, 1000), static_cast<int64_t>(fixture.size()));
  // Three more forces, 1,000 / 500 / 300 disruptions against individuals in
  // the year to June 2022; British Transport Police is never compared.
  std::vector<v1::Disruption> others;
  const std::vector<std::pair<std::string, int>> forces = {
      {"kent", 1000}, {"merseyside", 500}, {"north-wales", 300}, {"btp", 50}};
  for (const auto& [force, n] : forces) {
    for (int i = 0; i < n; ++i) {
      v1::Disruption d;
      d.set_disruption_id(absl::StrCat(force, "-d", i));
      d.set_force(force);
      d.set_date(i % 2 ? "2021-09-15" : "2022-02-01");
      d.set_pillar(i % 4 == 0 ? v1::PREVENT : v1::PURSUE);
      d.set_magnitude(v1::MINOR);
      d.set_tactic(v1::ARREST);
      d.set_arrests(1);
      others.push_back(std::move(d));
    }
  }
  ASSERT_EQ(SendAll(others, 1000), static_cast<int64_t>(others.size()));

  v1::GetNationalDisruptionsRequest req;
  req.mutable_period()->set_start_date("2021-07-01");
  req.mutable_period()->set_end_date("2022-06-30");
  v1::NationalDisruptions resp;
  grpc::ClientContext ctx;
  Deadline(&ctx);
  ASSERT_TRUE(stub_->GetNationalDisruptions(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.forces_size(), 4);  // sorted by slug, BTP excluded
  EXPECT_EQ(resp.forces(0).force(), "kent");
  EXPECT_EQ(resp.forces(2).force(), "metropolitan");
  EXPECT_EQ(resp.forces(2).disruptions(), 8021);
  EXPECT_NEAR(resp.forces(2).per_1000_population().value(), 0.8920598, 1e-7);
  EXPECT_EQ(Pct(resp.forces(2).by_pillar(0).share().value()), 78);
  EXPECT_EQ(resp.forces(1).by_pillar(1).share().ratio().numerator(), 125);
  EXPECT_TRUE(resp.compared()) << resp.comparison_note();
  EXPECT_LT(resp.lower(), resp.mean());
  EXPECT_LT(resp.mean(), resp.upper());
  // The z scores are relative to the same mean: they sum to 0 in raw space.
  if (!resp.log_space()) {
    double z = 0;
    for (const auto& f : resp.forces()) z += f.z();
    EXPECT_NEAR(z, 0, 1e-9);
  }
}

TEST_F(SocServer, BadSummaryRequestsNameTheField) {
  struct Case {
    v1::GetDisruptionSummaryRequest req;
    std::string field;
  };
  const std::vector<Case> cases = {
      {YearTo("gotham", "2021-07-01", "2022-06-30"), "force"},
      {YearTo("metropolitan", "2021-07-02", "2022-07-01"), "period.start_date"},
      {YearTo("metropolitan", "2021-07-01", "2022-05-31"), "period.end_date"},
      {YearTo("metropolitan", "2021-13-01", "2022-06-30"), "period.start_date"},
  };
  for (const auto& c : cases) {
    v1::DisruptionSummary s;
    grpc::Status st = Summary(c.req, &s);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    auto v = Violations(st);
    ASSERT_FALSE(v.empty()) << c.field;
    EXPECT_EQ(v[0].field(), c.field) << st.error_message();
  }
  // An empty store answers with zeros, not an error.
  v1::DisruptionSummary s;
  ASSERT_TRUE(Summary(YearTo("kent", "2021-07-01", "2022-06-30"), &s).ok());
  EXPECT_EQ(s.disruptions(), 0);
  EXPECT_FALSE(s.change().relative_known());
  EXPECT_EQ(s.groups_with_4p_plan().ratio().denominator(), 0);
}

}  // namespace
}  // namespace peel::soc
