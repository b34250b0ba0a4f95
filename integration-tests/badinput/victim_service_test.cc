// Bad input to victim-service (issue 3's list, issue 10's sweep): every
// kind of invalid case review, call record and monthly aggregate is refused
// naming its field with the state unchanged; batch limits; deadlines.
#include <cstdint>

#include "absl/strings/str_format.h"
#include "common/testing/server_bin.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "integration-tests/badinput/sweep.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"

namespace peel::reliability {
namespace {

namespace v1 = ::peel::victimservice::v1;

constexpr char kAssessment[] = "badinput-vsa";
constexpr int64_t kOctober2021 = 1633046400;

class VictimServiceBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = peel::testing::ServerProcess::Start(
        {peel::testing::ServerBin("PEEL_VICTIM_SERVICE_BIN",
                                  PEEL_VICTIM_SERVICE_BIN_PATH),
         "peel.victimservice.v1.VictimService",
         dir_.Sub("data"),
         dir_.path(),
         {}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::VictimService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    v1::Assessment resp;
    grpc::ClientContext ctx;
    ASSERT_TRUE(
        stub_->CreateAssessment(&ctx, Create(Assessment()), &resp).ok());
    // Something stored in each feed, so "unchanged" means something.
    ASSERT_TRUE(reviews_.Send(reviews_.batch_of({reviews_.fresh(1)})).ok());
    ASSERT_TRUE(calls_.Send(calls_.batch_of({calls_.fresh(1)})).ok());
    ASSERT_TRUE(months_.Send(months_.batch_of({months_.fresh(1)})).ok());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << server_->Log();
  }

  static v1::Assessment Assessment() {
    v1::Assessment a;
    a.set_assessment_id(kAssessment);
    a.set_force("kent");
    a.mutable_period()->set_start_date("2021-10-01");
    a.mutable_period()->set_end_date("2022-03-31");
    a.set_sample_description("case files");
    return a;
  }
  static v1::CreateAssessmentRequest Create(const v1::Assessment& a) {
    v1::CreateAssessmentRequest req;
    *req.mutable_assessment() = a;
    return req;
  }

  // Data version, check summary and call figures.
  std::string State() {
    std::string out;
    peel::common::v1::DataVersion version;
    v1::GetCheckSummaryRequest checks;
    checks.set_assessment_id(kAssessment);
    v1::CheckSummary summary;
    v1::GetCallHandlingSummaryRequest calls;
    calls.set_force("kent");
    calls.mutable_period()->set_start_date("2021-10-01");
    calls.mutable_period()->set_end_date("2021-12-31");
    v1::CallHandlingSummary handling;
    grpc::ClientContext c1, c2, c3;
    EXPECT_TRUE(stub_->GetDataVersion(&c1, {}, &version).ok());
    EXPECT_TRUE(stub_->GetCheckSummary(&c2, checks, &summary).ok());
    EXPECT_TRUE(stub_->GetCallHandlingSummary(&c3, calls, &handling).ok());
    return version.SerializeAsString() + summary.SerializeAsString() +
           handling.SerializeAsString();
  }

  peel::testing::TempDir dir_{"badinput-victim-service"};
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<v1::VictimService::Stub> stub_;
  StateFn state_ = [this] { return State(); };

  Ingest<v1::CaseReviewBatch, v1::CaseReview> reviews_{
      "reviews",
      [this](grpc::ClientContext* c) { return stub_->IngestCaseReviews(c); },
      [](std::vector<v1::CaseReview> rs) {
        v1::CaseReviewBatch b;
        b.set_sequence(1);
        b.set_assessment_id(kAssessment);
        for (auto& r : rs) *b.add_reviews() = std::move(r);
        return b;
      },
      [](int n) {
        v1::CaseReview r;
        r.set_case_id(absl::StrFormat("badinput-case-%d", n));
        r.set_file_type(v1::STANDARD_CRIME_FILE);
        r.set_offence_group(v1::VIOLENCE_AGAINST_THE_PERSON);
        r.set_channel(v1::EMERGENCY_999);
        auto* c = r.add_checks();
        c->set_check(v1::CALL_ANSWERED_IN_TIME);
        c->set_outcome(v1::MET);
        c = r.add_checks();
        c->set_check(v1::VULNERABILITY_CHECKED);
        c->set_outcome(v1::NOT_MET);
        return r;
      }};
  Ingest<v1::CallRecordBatch, v1::CallRecord> calls_{
      "calls",
      [this](grpc::ClientContext* c) { return stub_->IngestCallRecords(c); },
      [](std::vector<v1::CallRecord> rs) {
        v1::CallRecordBatch b;
        b.set_sequence(1);
        for (auto& r : rs) *b.add_calls() = std::move(r);
        return b;
      },
      [](int n) {
        v1::CallRecord c;
        c.set_call_id(absl::StrFormat("badinput-call-%d", n));
        c.set_force("kent");
        c.set_channel(v1::EMERGENCY_999);
        c.mutable_offered_at()->set_seconds(kOctober2021 + n);
        c.mutable_answered()->set_answer_ms(4000 + n % 9000);
        return c;
      }};
  Ingest<v1::MonthlyCallAggregateBatch, v1::MonthlyCallAggregate> months_{
      "months",
      [this](grpc::ClientContext* c) {
        return stub_->IngestMonthlyCallAggregates(c);
      },
      [](std::vector<v1::MonthlyCallAggregate> ms) {
        v1::MonthlyCallAggregateBatch b;
        b.set_sequence(1);
        for (auto& m : ms) *b.add_months() = std::move(m);
        return b;
      },
      [](int n) {
        v1::MonthlyCallAggregate m;
        m.set_force("essex");
        m.set_month(absl::StrFormat("%04d-%02d", 1990 + n / 12, 1 + n % 12));
        m.set_calls(100);
        m.set_under_10s(80);
        m.set_from_10_to_60s(15);
        m.set_over_60s(5);
        m.set_mean_answer_seconds(9.5);
        m.set_source("test");
        return m;
      }};
};

TEST_F(VictimServiceBadInput, CaseReviewsNameTheField) {
  ExpectRecordsRefused<v1::CaseReviewBatch, v1::CaseReview>(
      reviews_,
      {
          {"case_id", [](v1::CaseReview* r) { r->set_case_id("has space"); }},
          {"file_type", [](v1::CaseReview* r) { r->clear_file_type(); }},
          {"offence_group",
           [](v1::CaseReview* r) { r->clear_offence_group(); }},
          {"checks[0].check",
           [](v1::CaseReview* r) { r->mutable_checks(0)->clear_check(); }},
          {"checks[1].outcome",
           [](v1::CaseReview* r) { r->mutable_checks(1)->clear_outcome(); }},
          {"checks[2].check",  // the same check twice
           [](v1::CaseReview* r) { *r->add_checks() = r->checks(0); }},
      },
      state_);
}

TEST_F(VictimServiceBadInput, CallRecordsNameTheField) {
  ExpectRecordsRefused<v1::CallRecordBatch, v1::CallRecord>(
      calls_,
      {
          {"force", [](v1::CallRecord* c) { c->set_force("atlantis"); }},
          {"call_id", [](v1::CallRecord* c) { c->clear_call_id(); }},
          {"channel", [](v1::CallRecord* c) { c->set_channel(v1::ONLINE); }},
          {"offered_at", [](v1::CallRecord* c) { c->clear_offered_at(); }},
          {"offered_at",  // after 9999: a month with no name (fuzzing)
           [](v1::CallRecord* c) {
             c->mutable_offered_at()->set_seconds(INT64_MAX);
           }},
          {"answered.answer_ms",
           [](v1::CallRecord* c) { c->mutable_answered()->set_answer_ms(-1); }},
          {"abandoned",  // answered and abandoned both set
           [](v1::CallRecord* c) {
             c->mutable_abandoned()->set_waited_ms(1000);
           }},
          {"answered",  // neither
           [](v1::CallRecord* c) { c->clear_answered(); }},
          {"abandoned.waited_ms",
           [](v1::CallRecord* c) {
             c->clear_answered();
             c->mutable_abandoned()->set_waited_ms(-5);
           }},
      },
      state_);
}

TEST_F(VictimServiceBadInput, MonthlyAggregatesNameTheField) {
  ExpectRecordsRefused<v1::MonthlyCallAggregateBatch, v1::MonthlyCallAggregate>(
      months_,
      {
          {"force",
           [](v1::MonthlyCallAggregate* m) { m->set_force("atlantis"); }},
          {"month",
           [](v1::MonthlyCallAggregate* m) { m->set_month("2021-13"); }},
          {"month",  // not digits: SimpleAtoi alone read it as January
           [](v1::MonthlyCallAggregate* m) { m->set_month("2021-+1"); }},
          {"calls",  // bands that do not add up to the total
           [](v1::MonthlyCallAggregate* m) { m->set_over_60s(6); }},
          {"calls",  // bands whose int64 sum wraps round to the total
           [](v1::MonthlyCallAggregate* m) {
             m->set_under_10s(INT64_MAX);
             m->set_from_10_to_60s(INT64_MAX);
             m->set_over_60s(m->calls() + 2);
           }},
          {"mean_answer_seconds",
           [](v1::MonthlyCallAggregate* m) { m->set_mean_answer_seconds(-1); }},
      },
      state_);
}

TEST_F(VictimServiceBadInput, RequestsNameTheField) {
  auto create = [this](std::function<void(v1::Assessment*)> spoil) {
    return [this, spoil] {
      v1::Assessment a = Assessment();
      a.set_assessment_id("badinput-other");
      spoil(&a);
      v1::Assessment resp;
      grpc::ClientContext ctx;
      return stub_->CreateAssessment(&ctx, Create(a), &resp);
    };
  };
  auto calls_for = [this](const char* force, const char* start) {
    return [this, force, start] {
      v1::GetCallHandlingSummaryRequest req;
      req.set_force(force);
      req.mutable_period()->set_start_date(start);
      req.mutable_period()->set_end_date("2021-12-31");
      v1::CallHandlingSummary resp;
      grpc::ClientContext ctx;
      return stub_->GetCallHandlingSummary(&ctx, req, &resp);
    };
  };
  ExpectUnaryRefused(
      {
          {"unknown force",
           create([](v1::Assessment* a) { a->set_force("atlantis"); }),
           grpc::StatusCode::INVALID_ARGUMENT, "assessment.force"},
          {"end before start", create([](v1::Assessment* a) {
             a->mutable_period()->set_end_date("2021-09-01");
           }),
           grpc::StatusCode::INVALID_ARGUMENT, "assessment.period.end_date"},
          {"unknown assessment",
           [this] {
             v1::CaseReviewBatch b = reviews_.batch_of({reviews_.fresh(7)});
             b.set_assessment_id("no-such-assessment");
             auto acks = reviews_.Send(b);
             return grpc::Status(
                 static_cast<grpc::StatusCode>(acks.status().code()),
                 std::string(acks.status().message()));
           },
           grpc::StatusCode::NOT_FOUND, ""},
          {"summary of an unknown force", calls_for("atlantis", "2021-10-01"),
           grpc::StatusCode::INVALID_ARGUMENT, "force"},
          {"summary not of whole months", calls_for("kent", "2021-10-02"),
           grpc::StatusCode::INVALID_ARGUMENT, "period.start_date"},
      },
      state_);
}

TEST_F(VictimServiceBadInput, EmptyLongAndOversizedBatchesAreRefused) {
  auto pad = [](v1::CallRecord* c, std::string s) { c->set_call_id(s); };
  ExpectBatchLimits<v1::CallRecordBatch, v1::CallRecord>(calls_, pad, state_);
  ExpectBatchLimits<v1::CaseReviewBatch, v1::CaseReview>(
      reviews_, [](v1::CaseReview* r, std::string s) { r->set_case_id(s); },
      state_);
}

TEST_F(VictimServiceBadInput, ShortDeadlineLeavesNoPartialWrite) {
  ExpectDeadlineLeavesNoPartialWrite(calls_, state_);
}

}  // namespace
}  // namespace peel::reliability
