// Starts the real workforce binary on port 0 with a fresh store and talks
// to it over gRPC: the Met fixture must reproduce the reference report's
// figures, survive a restart, and not double count a repeated stream.
#include <cmath>
#include <cstdlib>

#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/workforce/tests/met_fixture.h"

namespace peel::workforce {
namespace {

using peel::common::v1::BatchAck;
using peel::common::v1::RecordResult;
using Stub = v1::WorkforceService::Stub;
using testing::kMet;

constexpr char kService[] = "peel.workforce.v1.WorkforceService";

double Pct1(double p) { return std::round(p * 1000) / 10; }

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

const v1::WorkforceFigures* Type(const v1::WorkforceProfile& p,
                                 v1::WorkerType t) {
  for (const auto& f : p.by_worker_type()) {
    if (f.worker_type() == t) return &f;
  }
  return nullptr;
}

class WorkforceServer : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("PEEL_WORKFORCE_BIN");
    ASSERT_NE(bin, nullptr) << "PEEL_WORKFORCE_BIN not set";
    binary_ = bin;
    Start();
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "server log:\n" << server_->Log();
  }
  void Start() {
    auto s = peel::testing::ServerProcess::Start(
        {binary_, kService, dir_.Sub("data"), dir_.path(), extra_args_});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::WorkforceService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }
  void Restart() {
    ASSERT_EQ(server_->Terminate(), 0) << server_->Log();
    Start();
  }

  absl::StatusOr<std::vector<BatchAck>> SendPeople(
      const std::vector<v1::PersonRecordBatch>& batches) {
    return peel::testing::SendBatches<v1::PersonRecordBatch>(
        [&](grpc::ClientContext* ctx) {
          return stub_->IngestPersonRecords(ctx);
        },
        batches, std::chrono::seconds(120));
  }
  absl::StatusOr<std::vector<BatchAck>> SendEvents(
      const std::vector<v1::WellbeingEventBatch>& batches) {
    return peel::testing::SendBatches<v1::WellbeingEventBatch>(
        [&](grpc::ClientContext* ctx) {
          return stub_->IngestWellbeingEvents(ctx);
        },
        batches, std::chrono::seconds(120));
  }
  static int Accepted(const std::vector<BatchAck>& acks) {
    int n = 0;
    for (const auto& a : acks) n += a.accepted();
    return n;
  }

  void LoadMet() {
    auto people = testing::MetPeople();
    // 51,191 people, 1,000 of them with a promotion version.
    ASSERT_EQ(people.size(), 52191u);
    auto acks = SendPeople(testing::PersonBatches(people, 1000));
    ASSERT_TRUE(acks.ok()) << acks.status();
    ASSERT_EQ(Accepted(*acks), static_cast<int>(people.size()));
    auto events = testing::MetWellbeingEvents();
    // 1,230 Jan–Mar appointments, 276 in other quarters, 354 screenings.
    ASSERT_EQ(events.size(), 1860u);
    auto eacks = SendEvents(testing::EventBatches(events, 500));
    ASSERT_TRUE(eacks.ok()) << eacks.status();
    ASSERT_EQ(Accepted(*eacks), static_cast<int>(events.size()));
    ASSERT_TRUE(PutTarget(testing::MetUpliftTarget()).ok());
    v1::PutPopulationReferenceRequest req;
    *req.mutable_reference() = testing::MetPopulation();
    v1::PopulationReference resp;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->PutPopulationReference(&ctx, req, &resp).ok());
  }

  grpc::Status PutTarget(const v1::UpliftTarget& t) {
    v1::PutUpliftTargetRequest req;
    *req.mutable_target() = t;
    v1::UpliftTarget resp;
    grpc::ClientContext ctx;
    return stub_->PutUpliftTarget(&ctx, req, &resp);
  }

  grpc::Status Profile(const std::string& force, const std::string& as_of,
                       v1::WorkforceProfile* out) {
    v1::GetWorkforceProfileRequest req;
    req.set_force(force);
    req.set_as_of(as_of);
    grpc::ClientContext ctx;
    return stub_->GetWorkforceProfile(&ctx, req, out);
  }
  v1::WorkforceProfile Profile(const std::string& as_of,
                               const std::string& force = "metropolitan") {
    v1::WorkforceProfile p;
    grpc::Status s = Profile(force, as_of, &p);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return p;
  }

  peel::testing::TempDir dir_{"workforce-test"};
  std::string binary_;
  std::vector<std::string> extra_args_;
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<Stub> stub_;
};

// Officers of the baseline pool still in post on 2022-03-31 who joined
// after 2017-03-31 (the fixture's joining years cycle 1985..2018).
int64_t BaselineOfficersUnder5Years() {
  const int64_t leavers =
      kMet.leavers[0] + kMet.leavers[1] + kMet.leavers[2] + kMet.leavers[3];
  int64_t n = 0;
  for (int64_t k = leavers; k < kMet.baseline_officers; ++k) {
    if (k % 34 >= 32) ++n;  // joined 2017-09-01 or 2018-09-01
  }
  return n;
}

void ExpectPublishedFigures(const v1::WorkforceProfile& y2021,
                            const v1::WorkforceProfile& dec2021,
                            const v1::WorkforceProfile& y2022) {
  // "On 31 March 2021, 19.2 percent of the force's workforce who stated
  // their ethnicity were from an ethnic minority background."
  const auto& em = y2021.workforce().ethnic_minority_share();
  EXPECT_EQ(em.ratio().numerator(), kMet.ethnic_minority_2021);
  EXPECT_EQ(em.ratio().denominator(), 44050 - kMet.not_stated_2021);
  EXPECT_EQ(Pct1(em.value()), 19.2);
  EXPECT_EQ(y2021.workforce().headcount(), 44050);
  // Against 40.2% of London's population (2011 Census): 21.0 points.
  EXPECT_TRUE(y2021.population_reference_set());
  EXPECT_NEAR(y2021.representation_gap_points(), 21.0, 1e-9);
  EXPECT_EQ(y2021.workforce().female_share().ratio().numerator(),
            kMet.female_2021);
  EXPECT_EQ(Pct1(y2021.workforce().female_share().value()), 32.0);

  // "Around 1,500 officers are leaving the force every year."
  const auto* officers = Type(y2022, v1::POLICE_OFFICER);
  ASSERT_NE(officers, nullptr);
  EXPECT_EQ(officers->leavers(), 1500);
  EXPECT_EQ(officers->headcount_at_start(), 31450);
  EXPECT_EQ(officers->headcount(), 32441);
  EXPECT_EQ(officers->joiners(), kMet.joiners[2] + kMet.joiners[3]);
  // 1,500 / mean(31,450, 32,441) = 4.70%.
  EXPECT_NEAR(officers->leaver_rate().value(), 1500.0 / 31945.5, 1e-12);
  int64_t by_type = 0;
  for (const auto& l : officers->leavers_by_type()) by_type += l.leavers();
  EXPECT_EQ(by_type, 1500);
  // Experience: 4,791 officers joined in the two years to 31 March 2022.
  EXPECT_EQ(officers->under_2_years_service().ratio().numerator(),
            kMet.joiners[1] + kMet.joiners[2] + kMet.joiners[3]);
  EXPECT_EQ(officers->under_5_years_service().ratio().numerator(),
            BaselineOfficersUnder5Years() + kMet.joiners[0] + kMet.joiners[1] +
                kMet.joiners[2] + kMet.joiners[3]);
  int64_t ranks = 0;
  for (const auto& r : y2022.by_rank()) {
    if (r.worker_type() == v1::POLICE_OFFICER) ranks += r.headcount();
  }
  EXPECT_EQ(ranks, 32441);

  // "The average waiting time ... increased from 7 days in January to
  // March 2020, to 11 days in January to March 2021, and 12 days in
  // January to March 2022."
  std::map<std::string, double> waits;
  for (const auto& w : y2022.occupational_health_waits()) {
    waits[w.quarter()] = w.mean_wait_days();
  }
  EXPECT_DOUBLE_EQ(waits["2020-Q1"], 7);
  EXPECT_DOUBLE_EQ(waits["2021-Q1"], 11);
  EXPECT_DOUBLE_EQ(waits["2022-Q1"], 12);
  EXPECT_DOUBLE_EQ(waits["2021-Q3"], 9);

  // "By 31 December 2021, it had recruited 78 percent of its allocation for
  // the first two years of the programme (to 31 March 2022)."
  const auto& up = dec2021.uplift();
  EXPECT_TRUE(up.target_set());
  EXPECT_EQ(up.officers(), 32116);
  EXPECT_EQ(up.increase(), 2116);
  EXPECT_EQ(up.allocation().by_date(), "2022-03-31");
  EXPECT_EQ(up.progress().ratio().denominator(), kMet.allocation_2022);
  EXPECT_EQ(std::lround(up.progress().value() * 100), 78);
  EXPECT_EQ(up.final_target().additional_officers(), 4557);

  // "Screening should happen every 6 months, but some staff aren't
  // receiving assessments for 18 months."
  EXPECT_EQ(y2022.screening().high_risk_in_post(), kMet.high_risk);
  EXPECT_EQ(y2022.screening().overdue().ratio().numerator(), kMet.overdue);
  EXPECT_EQ(y2022.screening().overdue_18_months().ratio().numerator(),
            kMet.overdue_18);
}

TEST_F(WorkforceServer, MetFixtureReproducesReportAndSurvivesRestart) {
  LoadMet();
  ExpectPublishedFigures(Profile("2021-03-31"), Profile("2021-12-31"),
                         Profile("2022-03-31"));
  const std::string before = Profile("2022-03-31").SerializeAsString();
  Restart();
  ExpectPublishedFigures(Profile("2021-03-31"), Profile("2021-12-31"),
                         Profile("2022-03-31"));
  EXPECT_EQ(Profile("2022-03-31").SerializeAsString(), before);
}

TEST_F(WorkforceServer, SurvivesSigkillWithEveryAcknowledgedBatch) {
  LoadMet();
  const std::string before = Profile("2022-03-31").SerializeAsString();
  server_->Kill();  // no shutdown: the counter mirror is rebuilt from the WAL
  Start();
  EXPECT_EQ(Profile("2022-03-31").SerializeAsString(), before);
  // And the store still takes more: a re-sent batch is all duplicates.
  auto again = SendPeople(testing::PersonBatches(testing::MetPeople(), 5000));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Accepted(*again), 0);
}

TEST_F(WorkforceServer, CounterCheckpointsKeepTheFigures) {
  // Checkpoint the day rows every 5,000 logged changes (about every batch),
  // so the figures come from rewritten rows plus a short log.
  ASSERT_EQ(server_->Terminate(), 0);
  extra_args_ = {"--counter_checkpoint_points=5000"};
  Start();
  LoadMet();
  ExpectPublishedFigures(Profile("2021-03-31"), Profile("2021-12-31"),
                         Profile("2022-03-31"));
  const std::string before = Profile("2022-03-31").SerializeAsString();
  server_->Kill();
  Start();
  EXPECT_EQ(Profile("2022-03-31").SerializeAsString(), before);
  // A correction after restart still moves only what it changes.
  v1::PersonRecord r = testing::MetPeople().back();
  ASSERT_EQ(r.worker_type(), v1::SPECIAL_CONSTABLE);
  r.set_worker_type(v1::POLICE_STAFF);
  r.set_rank(v1::NO_RANK);
  ASSERT_TRUE(SendPeople(testing::PersonBatches({r}, 1)).ok());
  const auto after = Profile("2022-03-31");
  EXPECT_EQ(Type(after, v1::SPECIAL_CONSTABLE)->headcount(), kMet.specials - 1);
  EXPECT_EQ(Type(after, v1::POLICE_STAFF)->headcount(), kMet.staff + 1);
}

TEST_F(WorkforceServer, SameStreamTwiceChangesNothing) {
  LoadMet();
  const std::string before = Profile("2022-03-31").SerializeAsString();
  grpc::ClientContext vctx;
  peel::common::v1::DataVersion v1_, v2_;
  ASSERT_TRUE(stub_->GetDataVersion(&vctx, {}, &v1_).ok());
  auto again = SendPeople(testing::PersonBatches(testing::MetPeople(), 1000));
  ASSERT_TRUE(again.ok()) << again.status();
  for (const auto& a : *again) {
    EXPECT_EQ(a.accepted(), 0);
    EXPECT_EQ(a.duplicates(), a.results_size());
  }
  auto events =
      SendEvents(testing::EventBatches(testing::MetWellbeingEvents(), 700));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(Accepted(*events), 0);
  EXPECT_EQ(Profile("2022-03-31").SerializeAsString(), before);
  grpc::ClientContext vctx2;
  ASSERT_TRUE(stub_->GetDataVersion(&vctx2, {}, &v2_).ok());
  EXPECT_EQ(v2_.version(), v1_.version());
  EXPECT_EQ(v2_.service(), kService);
}

TEST_F(WorkforceServer, LaterRecordReplacesEarlierWithoutDoubleCounting) {
  const std::string force = "dyfed-powys";
  v1::PersonRecord r;
  r.set_force(force);
  r.set_person_id(testing::PersonId(9, 1));
  r.set_worker_type(v1::POLICE_OFFICER);
  r.set_rank(v1::CONSTABLE);
  r.set_sex(v1::MALE);
  r.set_ethnic_group(v1::WHITE);
  r.set_fte(1);
  r.set_date_joined("2015-05-01");
  v1::PersonRecord other = r;
  other.set_person_id(testing::PersonId(9, 2));
  ASSERT_TRUE(SendPeople(testing::PersonBatches({r, other}, 10)).ok());

  // Same person, same effective date, corrected: replaces.
  v1::PersonRecord corrected = r;
  corrected.set_ethnic_group(v1::MIXED);
  corrected.set_sex(v1::FEMALE);
  // Promotion from 2020-01-01: moves between ranks from that date.
  v1::PersonRecord promoted = corrected;
  promoted.set_effective_date("2020-01-01");
  promoted.set_rank(v1::SERGEANT);
  auto acks = SendPeople(testing::PersonBatches({corrected, promoted}, 10));
  ASSERT_TRUE(acks.ok()) << acks.status();
  EXPECT_EQ(Accepted(*acks), 2);

  auto rank = [](const v1::WorkforceProfile& p, v1::Rank want) {
    for (const auto& x : p.by_rank()) {
      if (x.rank() == want) return x.headcount();
    }
    return int64_t{0};
  };
  const auto dec2019 = Profile("2019-12-31", force);
  EXPECT_EQ(dec2019.workforce().headcount(), 2);
  EXPECT_EQ(rank(dec2019, v1::CONSTABLE), 2);
  EXPECT_EQ(rank(dec2019, v1::SERGEANT), 0);
  EXPECT_EQ(dec2019.workforce().ethnic_minority_share().ratio().numerator(), 1);
  EXPECT_EQ(dec2019.workforce().female_share().ratio().numerator(), 1);
  const auto jan2020 = Profile("2020-01-01", force);
  EXPECT_EQ(jan2020.workforce().headcount(), 2);
  EXPECT_EQ(rank(jan2020, v1::CONSTABLE), 1);
  EXPECT_EQ(rank(jan2020, v1::SERGEANT), 1);
  // Joined after the date: not counted.
  EXPECT_EQ(Profile("2015-04-30", force).workforce().headcount(), 0);

  // The person leaves on 2021-06-30: a later version carries the leaving.
  v1::PersonRecord left = promoted;
  left.set_effective_date("2021-06-30");
  left.set_date_left("2021-06-30");
  left.set_leaver_type(v1::TRANSFER_OUT);
  ASSERT_TRUE(SendPeople(testing::PersonBatches({left}, 10)).ok());
  EXPECT_EQ(Profile("2021-06-29", force).workforce().headcount(), 2);
  const auto after = Profile("2021-06-30", force);
  EXPECT_EQ(after.workforce().headcount(), 1);
  EXPECT_EQ(after.workforce().leavers(), 1);
  EXPECT_EQ(after.workforce().joiners(), 0);
  EXPECT_EQ(rank(after, v1::SERGEANT), 0);

  v1::GetPersonRequest get;
  get.set_force(force);
  get.set_person_id(r.person_id());
  v1::PersonHistory h;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetPerson(&ctx, get, &h).ok());
  ASSERT_EQ(h.versions_size(), 3);
  EXPECT_EQ(h.versions(0).effective_date(), "2015-05-01");
  EXPECT_EQ(h.versions(0).ethnic_group(), v1::MIXED);
  EXPECT_EQ(h.versions(2).date_left(), "2021-06-30");
}

TEST_F(WorkforceServer, BadRecordsAreRejectedAloneAndStoreNothing) {
  v1::PersonRecord good;
  good.set_force("kent");
  good.set_person_id(testing::PersonId(7, 1));
  good.set_worker_type(v1::POLICE_STAFF);
  good.set_rank(v1::NO_RANK);
  good.set_sex(v1::FEMALE);
  good.set_ethnic_group(v1::ASIAN);
  good.set_fte(0.8);
  good.set_date_joined("2012-02-01");
  struct Case {
    std::string field;
    std::function<void(v1::PersonRecord*)> spoil;
  };
  std::vector<Case> cases = {
      {"force", [](v1::PersonRecord* r) { r->set_force("atlantis"); }},
      {"date_left",
       [](v1::PersonRecord* r) {
         r->set_date_left("2011-01-01");
         r->set_leaver_type(v1::RETIREMENT);
       }},
      {"fte", [](v1::PersonRecord* r) { r->set_fte(1.5); }},
      {"fte", [](v1::PersonRecord* r) { r->set_fte(0); }},
      {"leaver_type",
       [](v1::PersonRecord* r) { r->set_leaver_type(v1::DEATH); }},
      {"leaver_type",
       [](v1::PersonRecord* r) { r->set_date_left("2020-01-01"); }},
      {"worker_type", [](v1::PersonRecord* r) { r->clear_worker_type(); }},
      {"sex", [](v1::PersonRecord* r) { r->clear_sex(); }},
      {"ethnic_group", [](v1::PersonRecord* r) { r->clear_ethnic_group(); }},
      {"rank", [](v1::PersonRecord* r) { r->set_rank(v1::SERGEANT); }},
      {"person_id",
       [](v1::PersonRecord* r) {
         r->set_person_id("jane.smith@met.police.uk");
       }},
      {"person_id",
       [](v1::PersonRecord* r) { r->set_person_id("John Smith"); }},
      {"person_id", [](v1::PersonRecord* r) { r->set_person_id("abc123"); }},
      {"date_joined",
       [](v1::PersonRecord* r) { r->set_date_joined("2021-02-30"); }},
      {"effective_date",
       [](v1::PersonRecord* r) { r->set_effective_date("2010-01-01"); }},
  };
  v1::PersonRecordBatch batch;
  batch.set_sequence(1);
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::PersonRecord r = good;
    r.set_person_id(testing::PersonId(8, i));
    cases[i].spoil(&r);
    *batch.add_records() = r;
  }
  *batch.add_records() = good;
  auto acks = SendPeople({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  ASSERT_EQ(acks->size(), 1u);
  const BatchAck& ack = (*acks)[0];
  EXPECT_EQ(ack.accepted(), 1);
  EXPECT_EQ(ack.rejected(), static_cast<int>(cases.size()));
  ASSERT_EQ(ack.results_size(), static_cast<int>(cases.size()) + 1);
  for (size_t i = 0; i < cases.size(); ++i) {
    const RecordResult& r = ack.results(static_cast<int>(i));
    EXPECT_EQ(r.outcome(), RecordResult::REJECTED) << cases[i].field;
    ASSERT_GE(r.violations_size(), 1) << cases[i].field;
    EXPECT_EQ(r.violations(0).field(),
              absl::StrCat("records[", i, "].", cases[i].field))
        << r.violations(0).description();
  }
  EXPECT_EQ(ack.results(static_cast<int>(cases.size())).outcome(),
            RecordResult::ACCEPTED);
  // Nothing of a rejected record is stored: only the good one counts.
  const auto p = Profile("2022-03-31", "kent");
  EXPECT_EQ(p.workforce().headcount(), 1);
  EXPECT_DOUBLE_EQ(p.workforce().fte(), 0.8);
  v1::GetPersonRequest get;
  get.set_force("kent");
  get.set_person_id(testing::PersonId(8, 2));
  v1::PersonHistory h;
  grpc::ClientContext ctx;
  EXPECT_EQ(stub_->GetPerson(&ctx, get, &h).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Bad wellbeing events.
  v1::WellbeingEvent e;
  e.set_force("kent");
  e.set_event_id("oh-1");
  e.set_person_id(good.person_id());
  e.mutable_occupational_health()->set_referred_on("2022-01-10");
  e.mutable_occupational_health()->set_appointment_on("2022-01-01");
  v1::WellbeingEvent no_kind = e;
  no_kind.set_event_id("x-2");
  no_kind.clear_kind();
  auto eacks = SendEvents(testing::EventBatches({e, no_kind}, 10));
  ASSERT_TRUE(eacks.ok());
  ASSERT_EQ((*eacks)[0].rejected(), 2);
  EXPECT_EQ((*eacks)[0].results(0).violations(0).field(),
            "events[0].occupational_health.appointment_on");
  EXPECT_EQ((*eacks)[0].results(1).violations(0).field(), "events[1].kind");
  // Same event id, different content: rejected, the first stays.
  e.mutable_occupational_health()->set_appointment_on("2022-01-20");
  v1::WellbeingEvent changed = e;
  changed.mutable_occupational_health()->set_appointment_on("2022-01-30");
  eacks = SendEvents(testing::EventBatches({e, changed, e}, 10));
  ASSERT_TRUE(eacks.ok());
  EXPECT_EQ((*eacks)[0].accepted(), 1);
  EXPECT_EQ((*eacks)[0].results(1).outcome(), RecordResult::REJECTED);
  EXPECT_EQ((*eacks)[0].results(2).outcome(), RecordResult::DUPLICATE);
  const auto q = Profile("2022-03-31", "kent");
  for (const auto& w : q.occupational_health_waits()) {
    if (w.quarter() == "2022-Q1") {
      EXPECT_EQ(w.appointments(), 1);
      EXPECT_EQ(w.total_wait_days(), 10);
    }
  }

  // Bad unary requests name the field.
  v1::WorkforceProfile out;
  grpc::Status s = Profile("atlantis", "2022-13-01", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto v = Violations(s);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].field(), "force");
  EXPECT_EQ(v[1].field(), "as_of");
  v1::UpliftTarget t = testing::MetUpliftTarget();
  t.mutable_allocations(1)->set_by_date("2020-01-01");
  s = PutTarget(t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v = Violations(s);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(v[0].field(), "target.allocations[1].by_date");
}

TEST_F(WorkforceServer, NationalViewComparesEthnicMinorityShares) {
  LoadMet();
  // 42 other forces: 30 at 7.5% and 12 at 7.6%, so that with the Met's
  // 19.2% the unweighted mean is the report's 7.8%.
  std::vector<v1::PersonRecord> others;
  int n = 0;
  for (const auto& f : {"avon-and-somerset",
                        "bedfordshire",
                        "cambridgeshire",
                        "cheshire",
                        "city-of-london",
                        "cleveland",
                        "cumbria",
                        "derbyshire",
                        "devon-and-cornwall",
                        "dorset",
                        "durham",
                        "dyfed-powys",
                        "essex",
                        "gloucestershire",
                        "greater-manchester",
                        "gwent",
                        "hampshire",
                        "hertfordshire",
                        "humberside",
                        "kent",
                        "lancashire",
                        "leicestershire",
                        "lincolnshire",
                        "merseyside",
                        "norfolk",
                        "north-wales",
                        "north-yorkshire",
                        "northamptonshire",
                        "northumbria",
                        "nottinghamshire",
                        "south-wales",
                        "south-yorkshire",
                        "staffordshire",
                        "suffolk",
                        "surrey",
                        "sussex",
                        "thames-valley",
                        "warwickshire",
                        "west-mercia",
                        "west-midlands",
                        "west-yorkshire",
                        "wiltshire"}) {
    auto people = testing::SmallForce(f, 1000, n++ < 30 ? 75 : 76);
    others.insert(others.end(), people.begin(), people.end());
  }
  ASSERT_EQ(n, 42);
  // British Transport Police is out of scope and must not count.
  auto btp = testing::SmallForce("btp", 100, 90);
  others.insert(others.end(), btp.begin(), btp.end());
  auto acks = SendPeople(testing::PersonBatches(others, 5000));
  ASSERT_TRUE(acks.ok()) << acks.status();

  v1::GetNationalWorkforceRequest req;
  req.set_as_of("2021-03-31");
  v1::NationalWorkforce nat;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetNationalWorkforce(&ctx, req, &nat).ok());
  ASSERT_EQ(nat.forces_size(), 43);
  EXPECT_EQ(Pct1(nat.mean_ethnic_minority_share()), 7.8);
  double highest = 0;
  std::string top;
  for (const auto& f : nat.forces()) {
    if (f.ethnic_minority_share().value() > highest) {
      highest = f.ethnic_minority_share().value();
      top = f.force();
    }
  }
  EXPECT_EQ(top, "metropolitan");
  EXPECT_EQ(Pct1(highest), 19.2);
  // The Met is far outside the ±1 SD lines; the others sit within them.
  ASSERT_TRUE(nat.comparison_made());
  for (const auto& f : nat.forces()) {
    if (f.force() == "metropolitan") {
      EXPECT_EQ(f.ethnic_minority_position(), "well above average");
      EXPECT_GT(f.ethnic_minority_z(), 1);
    } else {
      EXPECT_EQ(f.ethnic_minority_position(), "within") << f.force();
    }
  }
  EXPECT_GT(nat.comparison_upper(), 0.076);
  EXPECT_LT(nat.comparison_upper(), 0.192);
}

}  // namespace
}  // namespace peel::workforce
