// Bad input to workforce (issue 4's list, issue 10's sweep): every kind of
// invalid person record and wellbeing event is refused naming its field
// with the state unchanged; bad requests; batch limits; deadlines.
#include "absl/strings/str_format.h"
#include "common/testing/server_bin.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "integration-tests/badinput/sweep.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"

namespace peel::reliability {
namespace {

namespace v1 = ::peel::workforce::v1;

std::string PersonId(int n) { return absl::StrFormat("bad1%028x", n); }

class WorkforceBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = peel::testing::ServerProcess::Start(
        {peel::testing::ServerBin("PEEL_WORKFORCE_BIN",
                                  PEEL_WORKFORCE_BIN_PATH),
         "peel.workforce.v1.WorkforceService",
         dir_.Sub("data"),
         dir_.path(),
         {}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::WorkforceService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(people_.Send(people_.batch_of({people_.fresh(1)})).ok());
    ASSERT_TRUE(events_.Send(events_.batch_of({events_.fresh(1)})).ok());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << server_->Log();
  }

  std::string State() {
    peel::common::v1::DataVersion version;
    v1::GetWorkforceProfileRequest req;
    req.set_force("kent");
    req.set_as_of("2022-03-31");
    v1::WorkforceProfile profile;
    grpc::ClientContext c1, c2;
    EXPECT_TRUE(stub_->GetDataVersion(&c1, {}, &version).ok());
    EXPECT_TRUE(stub_->GetWorkforceProfile(&c2, req, &profile).ok());
    return version.SerializeAsString() + profile.SerializeAsString();
  }

  peel::testing::TempDir dir_{"badinput-workforce"};
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<v1::WorkforceService::Stub> stub_;
  StateFn state_ = [this] { return State(); };

  Ingest<v1::PersonRecordBatch, v1::PersonRecord> people_{
      "records",
      [this](grpc::ClientContext* c) { return stub_->IngestPersonRecords(c); },
      [](std::vector<v1::PersonRecord> rs) {
        v1::PersonRecordBatch b;
        b.set_sequence(1);
        for (auto& r : rs) *b.add_records() = std::move(r);
        return b;
      },
      [](int n) {
        v1::PersonRecord r;
        r.set_force("kent");
        r.set_person_id(PersonId(n));
        r.set_worker_type(v1::POLICE_STAFF);
        r.set_rank(v1::NO_RANK);
        r.set_sex(v1::FEMALE);
        r.set_ethnic_group(v1::WHITE);
        r.set_fte(1);
        r.set_date_joined("2015-01-01");
        return r;
      }};
  Ingest<v1::WellbeingEventBatch, v1::WellbeingEvent> events_{
      "events",
      [this](grpc::ClientContext* c) {
        return stub_->IngestWellbeingEvents(c);
      },
      [](std::vector<v1::WellbeingEvent> es) {
        v1::WellbeingEventBatch b;
        b.set_sequence(1);
        for (auto& e : es) *b.add_events() = std::move(e);
        return b;
      },
      [](int n) {
        v1::WellbeingEvent e;
        e.set_force("kent");
        e.set_event_id(absl::StrFormat("badinput-event-%d", n));
        e.set_person_id(PersonId(n));
        e.mutable_occupational_health()->set_referred_on("2022-01-03");
        e.mutable_occupational_health()->set_appointment_on("2022-01-10");
        return e;
      }};
};

TEST_F(WorkforceBadInput, PersonRecordsNameTheField) {
  using R = v1::PersonRecord;
  ExpectRecordsRefused<v1::PersonRecordBatch, R>(
      people_,
      {
          {"force", [](R* r) { r->set_force("atlantis"); }},
          {"person_id",  // an email address, not a pseudonymous token
           [](R* r) { r->set_person_id("jane.doe@example.org"); }},
          {"person_id", [](R* r) { r->set_person_id("abc123"); }},
          {"person_id", [](R* r) { r->clear_person_id(); }},
          {"date_left",  // left before joined
           [](R* r) {
             r->set_date_left("2014-12-31");
             r->set_leaver_type(v1::RETIREMENT);
           }},
          {"leaver_type",  // a leaver type without a leaving date
           [](R* r) { r->set_leaver_type(v1::RETIREMENT); }},
          {"leaver_type",  // a leaving date without a leaver type
           [](R* r) { r->set_date_left("2021-12-31"); }},
          {"fte", [](R* r) { r->set_fte(0); }},
          {"fte", [](R* r) { r->set_fte(1.5); }},
          {"fte", [](R* r) { r->set_fte(-0.5); }},
          {"worker_type", [](R* r) { r->clear_worker_type(); }},
          {"sex", [](R* r) { r->clear_sex(); }},
          {"ethnic_group", [](R* r) { r->clear_ethnic_group(); }},
          {"rank",  // an officer without a rank
           [](R* r) { r->set_worker_type(v1::POLICE_OFFICER); }},
          {"date_joined", [](R* r) { r->clear_date_joined(); }},
          {"date_joined", [](R* r) { r->set_date_joined("2021-02-30"); }},
          {"effective_date", [](R* r) { r->set_effective_date("2014-06-01"); }},
      },
      state_);
}

TEST_F(WorkforceBadInput, WellbeingEventsNameTheField) {
  using E = v1::WellbeingEvent;
  ExpectRecordsRefused<v1::WellbeingEventBatch, E>(
      events_,
      {
          {"force", [](E* e) { e->set_force("atlantis"); }},
          {"event_id", [](E* e) { e->clear_event_id(); }},
          {"person_id", [](E* e) { e->set_person_id("J Smith"); }},
          {"kind", [](E* e) { e->clear_occupational_health(); }},
          {"occupational_health.appointment_on",
           [](E* e) {
             e->mutable_occupational_health()->set_appointment_on("2021-12-01");
           }},
          {"screening.done_on",
           [](E* e) { e->mutable_screening()->set_done_on("yesterday"); }},
      },
      state_);
}

TEST_F(WorkforceBadInput, RequestsNameTheField) {
  auto target = [this](std::function<void(v1::UpliftTarget*)> spoil) {
    return [this, spoil] {
      v1::PutUpliftTargetRequest req;
      auto* t = req.mutable_target();
      t->set_force("kent");
      t->set_baseline_date("2019-03-31");
      t->set_baseline_officers(3500);
      auto* a = t->add_allocations();
      a->set_by_date("2021-03-31");
      a->set_additional_officers(200);
      t->mutable_final_target()->set_by_date("2023-03-31");
      t->mutable_final_target()->set_additional_officers(500);
      t->set_source("test");
      spoil(t);
      v1::UpliftTarget resp;
      grpc::ClientContext ctx;
      return stub_->PutUpliftTarget(&ctx, req, &resp);
    };
  };
  auto population = [this](double share, const char* force) {
    return [this, share, force] {
      v1::PutPopulationReferenceRequest req;
      req.mutable_reference()->set_force(force);
      req.mutable_reference()->set_ethnic_minority_share(share);
      req.mutable_reference()->set_source("test");
      v1::PopulationReference resp;
      grpc::ClientContext ctx;
      return stub_->PutPopulationReference(&ctx, req, &resp);
    };
  };
  ExpectUnaryRefused(
      {
          {"uplift target of an unknown force",
           target([](v1::UpliftTarget* t) { t->set_force("atlantis"); }),
           grpc::StatusCode::INVALID_ARGUMENT, "target.force"},
          {"no baseline officers",
           target([](v1::UpliftTarget* t) { t->set_baseline_officers(0); }),
           grpc::StatusCode::INVALID_ARGUMENT, "target.baseline_officers"},
          {"allocations out of order", target([](v1::UpliftTarget* t) {
             t->mutable_allocations(0)->set_by_date("2018-01-01");
           }),
           grpc::StatusCode::INVALID_ARGUMENT, "target.allocations[0].by_date"},
          {"share above 1", population(1.5, "kent"),
           grpc::StatusCode::INVALID_ARGUMENT,
           "reference.ethnic_minority_share"},
          {"population of an unknown force", population(0.1, "atlantis"),
           grpc::StatusCode::INVALID_ARGUMENT, "reference.force"},
      },
      state_);
}

TEST_F(WorkforceBadInput, EmptyLongAndOversizedBatchesAreRefused) {
  ExpectBatchLimits<v1::PersonRecordBatch, v1::PersonRecord>(
      people_, [](v1::PersonRecord* r, std::string s) { r->set_grade(s); },
      state_);
  ExpectBatchLimits<v1::WellbeingEventBatch, v1::WellbeingEvent>(
      events_, [](v1::WellbeingEvent* e, std::string s) { e->set_event_id(s); },
      state_);
}

TEST_F(WorkforceBadInput, ShortDeadlineLeavesNoPartialWrite) {
  ExpectDeadlineLeavesNoPartialWrite(people_, state_);
}

}  // namespace
}  // namespace peel::reliability
