// Starts the real victim-service binary on port 0 with a fresh store and
// talks to it over gRPC.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "services/victim-service/tests/met_fixture.h"

namespace peel::victimservice {
namespace {

using peel::common::v1::BatchAck;
using peel::common::v1::RecordResult;
using Stub = v1::VictimService::Stub;

constexpr char kService[] = "peel.victimservice.v1.VictimService";

double Pct1(double p) { return std::round(p * 1000) / 10; }

class VictimServiceServer : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("PEEL_VICTIM_SERVICE_BIN");
    ASSERT_NE(bin, nullptr) << "PEEL_VICTIM_SERVICE_BIN not set";
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
    stub_ = v1::VictimService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }
  void Restart() {
    ASSERT_EQ(server_->Terminate(), 0) << server_->Log();
    Start();
  }

  grpc::Status CreateAssessment(const v1::Assessment& a) {
    v1::CreateAssessmentRequest req;
    *req.mutable_assessment() = a;
    v1::Assessment resp;
    grpc::ClientContext ctx;
    return stub_->CreateAssessment(&ctx, req, &resp);
  }

  absl::StatusOr<std::vector<BatchAck>> SendReviews(
      const std::vector<v1::CaseReviewBatch>& batches) {
    return peel::testing::SendBatches<v1::CaseReviewBatch>(
        [&](grpc::ClientContext* ctx) { return stub_->IngestCaseReviews(ctx); },
        batches);
  }
  absl::StatusOr<std::vector<BatchAck>> SendCalls(
      const std::vector<v1::CallRecordBatch>& batches) {
    return peel::testing::SendBatches<v1::CallRecordBatch>(
        [&](grpc::ClientContext* ctx) { return stub_->IngestCallRecords(ctx); },
        batches);
  }
  absl::StatusOr<std::vector<BatchAck>> SendMonths(
      const std::vector<v1::MonthlyCallAggregateBatch>& batches) {
    return peel::testing::SendBatches<v1::MonthlyCallAggregateBatch>(
        [&](grpc::ClientContext* ctx) {
          return stub_->IngestMonthlyCallAggregates(ctx);
        },
        batches);
  }

  v1::CheckSummary Summary(
      v1::FileType file_type = v1::FILE_TYPE_UNSPECIFIED,
      v1::OffenceGroup group = v1::OFFENCE_GROUP_UNSPECIFIED) {
    v1::GetCheckSummaryRequest req;
    req.set_assessment_id(testing::MetAssessment().assessment_id());
    req.set_file_type(file_type);
    req.set_offence_group(group);
    v1::CheckSummary resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->GetCheckSummary(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  v1::CallHandlingSummary Calls(const std::string& force = "metropolitan",
                                const std::string& start = "2021-10-01",
                                const std::string& end = "2021-12-31") {
    v1::GetCallHandlingSummaryRequest req;
    req.set_force(force);
    req.mutable_period()->set_start_date(start);
    req.mutable_period()->set_end_date(end);
    v1::CallHandlingSummary resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->GetCallHandlingSummary(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  void LoadMet() {
    ASSERT_TRUE(CreateAssessment(testing::MetAssessment()).ok());
    auto reviews =
        SendReviews(testing::ReviewBatches(testing::MetCaseReviews(), 40));
    ASSERT_TRUE(reviews.ok()) << reviews.status();
    int accepted = 0;
    for (const auto& a : *reviews) accepted += a.accepted();
    EXPECT_EQ(accepted, 185);
    auto calls =
        SendCalls(testing::CallBatches(testing::MetCallRecords(), 500));
    ASSERT_TRUE(calls.ok()) << calls.status();
    accepted = 0;
    for (const auto& a : *calls) accepted += a.accepted();
    EXPECT_EQ(accepted, 3540);
  }

  peel::testing::TempDir dir_{"victim-service-test"};
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

const v1::CheckFigure* Find(const v1::CheckSummary& s, v1::Check check) {
  for (const auto& f : s.checks()) {
    if (f.check() == check) return &f;
  }
  return nullptr;
}

// Nearest-rank percentile (k = ceil(q·n)) of sorted values, in seconds.
double ExactPercentile(const std::vector<int64_t>& sorted_ms, double q) {
  const size_t n = sorted_ms.size();
  size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  k = std::clamp<size_t>(k, 1, n);
  return sorted_ms[k - 1] / 1000.0;
}

void ExpectPublishedChecks(const v1::CheckSummary& s) {
  EXPECT_EQ(s.case_reviews(), 185);
  for (const auto& p : testing::PublishedChecks()) {
    const v1::CheckFigure* f = Find(s, p.check);
    ASSERT_NE(f, nullptr) << v1::Check_Name(p.check);
    EXPECT_EQ(f->met(), p.met) << v1::Check_Name(p.check);
    EXPECT_EQ(f->applicable(), p.applicable) << v1::Check_Name(p.check);
    EXPECT_EQ(f->rate().ratio().numerator(), p.met);
    EXPECT_EQ(f->rate().ratio().denominator(), p.applicable);
    EXPECT_EQ(f->rate().method(), peel::common::v1::INTERVAL_METHOD_WILSON);
    EXPECT_LE(f->rate().interval().lower(), f->rate().value());
    EXPECT_GE(f->rate().interval().upper(), f->rate().value());
    EXPECT_EQ(f->rate().provenance().force(), "metropolitan");
  }
  // The report's own words.
  EXPECT_EQ(Find(s, v1::THRIVE_RISK_ASSESSMENT_DONE)->wording(), v1::ONLY);
  EXPECT_EQ(Find(s, v1::THRIVE_RISK_ASSESSMENT_DONE)->sentence(),
            "only (21 of 107 applicable cases)");
  EXPECT_EQ(Find(s, v1::ALLOCATED_PER_POLICY)->wording(), v1::ALMOST_ALL);
  EXPECT_EQ(Find(s, v1::ALLOCATED_PER_POLICY)->wording_text(), "almost all");
  EXPECT_EQ(Find(s, v1::RISK_ASSESSMENT_ACCURATE)->wording(), v1::ALMOST_ALL);
  EXPECT_EQ(Find(s, v1::OUT_OF_COURT_CRITERIA_MET)->wording(), v1::MOST);
  EXPECT_EQ(Find(s, v1::ARREST_AT_EARLIEST_OPPORTUNITY)->wording(), v1::MOST);
  EXPECT_EQ(Pct1(Find(s, v1::THRIVE_RISK_ASSESSMENT_DONE)->rate().value()),
            19.6);
  // Wilson 95% for 21 of 107, by hand: centre (p + z²/2n)/(1 + z²/n),
  // spread z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n) → [0.1321, 0.2815].
  const auto& thrive = Find(s, v1::THRIVE_RISK_ASSESSMENT_DONE)->rate();
  EXPECT_NEAR(thrive.interval().lower(), 0.1321, 1e-4);
  EXPECT_NEAR(thrive.interval().upper(), 0.2815, 1e-4);
}

void ExpectPublishedCalls(const v1::CallHandlingSummary& s) {
  const auto& e = s.overall().emergency();
  EXPECT_EQ(e.source(), v1::CALL_RECORDS);
  EXPECT_EQ(e.within_10s().ratio().numerator(), 1278);
  EXPECT_EQ(e.within_10s().ratio().denominator(), 2000);
  EXPECT_EQ(Pct1(e.within_10s().value()), 63.9);
  EXPECT_FALSE(e.target_met());
  EXPECT_EQ(e.band_under_10s().ratio().numerator(), 1278);
  EXPECT_EQ(e.band_10_to_60s().ratio().numerator(), 600);
  EXPECT_EQ(e.band_60s_and_over().ratio().numerator(), 122);
  EXPECT_EQ(e.abandoned(), 40);
  const auto& n = s.overall().non_emergency();
  EXPECT_EQ(n.offered(), 1500);
  EXPECT_EQ(n.abandonment().ratio().numerator(), 549);
  EXPECT_EQ(Pct1(n.abandonment().value()), 36.6);
  EXPECT_FALSE(n.target_met());
  EXPECT_DOUBLE_EQ(s.emergency_target(), 0.9);
  EXPECT_DOUBLE_EQ(s.abandonment_target(), 0.1);
}

TEST_F(VictimServiceServer, FixtureReproducesReportAndSurvivesRestart) {
  LoadMet();
  ExpectPublishedChecks(Summary());
  ExpectPublishedCalls(Calls());
  const std::string checks_before = Summary().SerializeAsString();
  const std::string calls_before = Calls().SerializeAsString();

  Restart();
  EXPECT_EQ(Summary().SerializeAsString(), checks_before);
  EXPECT_EQ(Calls().SerializeAsString(), calls_before);
  v1::GetAssessmentRequest get;
  get.set_assessment_id(testing::MetAssessment().assessment_id());
  v1::Assessment a;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetAssessment(&ctx, get, &a).ok());
  EXPECT_EQ(a.SerializeAsString(),
            testing::MetAssessment().SerializeAsString());
}

TEST_F(VictimServiceServer, AcknowledgedBatchesSurviveSigkill) {
  LoadMet();  // every batch acknowledged, so in the WAL
  server_->Kill();
  Start();
  ExpectPublishedChecks(Summary());
  ExpectPublishedCalls(Calls());
}

TEST_F(VictimServiceServer, FiltersMatchCountsFromTheRecords) {
  LoadMet();
  const auto reviews = testing::MetCaseReviews();
  for (v1::FileType ft : {v1::FILE_TYPE_UNSPECIFIED, v1::STANDARD_CRIME_FILE,
                          v1::CAUTION, v1::VICTIM_DOES_NOT_SUPPORT}) {
    for (v1::OffenceGroup g :
         {v1::OFFENCE_GROUP_UNSPECIFIED, v1::VIOLENCE_AGAINST_THE_PERSON,
          v1::DOMESTIC_ABUSE_RELATED, v1::PUBLIC_ORDER_OFFENCES}) {
      // Count from the records, independently of the service.
      std::map<int, std::array<int64_t, 3>> expected;  // met, not met, n/a
      int64_t files = 0;
      for (const auto& r : reviews) {
        if (ft != 0 && r.file_type() != ft) continue;
        if (g != 0 && r.offence_group() != g) continue;
        ++files;
        for (const auto& c : r.checks()) {
          expected[c.check()][c.outcome() - 1] += 1;
        }
      }
      v1::CheckSummary s = Summary(ft, g);
      SCOPED_TRACE(v1::FileType_Name(ft) + " / " + v1::OffenceGroup_Name(g));
      EXPECT_EQ(s.case_reviews(), files);
      ASSERT_EQ(s.checks_size(), static_cast<int>(expected.size()));
      for (const auto& f : s.checks()) {
        const auto& want = expected[f.check()];
        EXPECT_EQ(f.met(), want[0]);
        EXPECT_EQ(f.not_met(), want[1]);
        EXPECT_EQ(f.not_applicable(), want[2]);
      }
    }
  }
  // Cautions carry only their own checks.
  v1::CheckSummary cautions = Summary(v1::CAUTION);
  EXPECT_EQ(cautions.case_reviews(), 8);
  EXPECT_EQ(Find(cautions, v1::THRIVE_RISK_ASSESSMENT_DONE), nullptr);
  EXPECT_NE(Find(cautions, v1::OUT_OF_COURT_CRITERIA_MET), nullptr);
}

TEST_F(VictimServiceServer, AnswerTimesMatchValuesComputedFromTheRecords) {
  LoadMet();
  const auto calls = testing::MetCallRecords();
  std::vector<int64_t> e_ms, n_ms;
  std::map<std::string, std::array<int64_t, 2>> by_month;  // within 10 s, n
  double e_sum = 0;
  for (const auto& c : calls) {
    if (!c.has_answered()) continue;
    if (c.channel() == v1::EMERGENCY_999) {
      e_ms.push_back(c.answered().answer_ms());
      e_sum += c.answered().answer_ms() / 1000.0;
      time_t t = c.offered_at().seconds();
      struct tm tm;
      gmtime_r(&t, &tm);
      char month[8];
      strftime(month, sizeof month, "%Y-%m", &tm);
      by_month[month][0] += c.answered().answer_ms() < 10000;
      by_month[month][1] += 1;
    } else {
      n_ms.push_back(c.answered().answer_ms());
    }
  }
  std::sort(e_ms.begin(), e_ms.end());
  std::sort(n_ms.begin(), n_ms.end());
  v1::CallHandlingSummary s = Calls();
  const auto& t = s.overall().emergency().answer_times();
  ASSERT_TRUE(t.percentiles_available());
  EXPECT_EQ(t.answered(), 2000);
  EXPECT_NEAR(t.mean_seconds(), e_sum / 2000, 1e-9);
  EXPECT_DOUBLE_EQ(t.max_seconds(), e_ms.back() / 1000.0);
  EXPECT_DOUBLE_EQ(t.percentile_error_seconds(), 1.0);
  EXPECT_NEAR(t.median_seconds(), ExactPercentile(e_ms, 0.5), 1.0);
  EXPECT_NEAR(t.p90_seconds(), ExactPercentile(e_ms, 0.9), 1.0);
  EXPECT_NEAR(t.p99_seconds(), ExactPercentile(e_ms, 0.99), 1.0);
  // The bucket holding the exact value is the one reported.
  EXPECT_EQ(std::floor(t.median_seconds()),
            std::floor(ExactPercentile(e_ms, 0.5)));
  EXPECT_EQ(std::floor(t.p99_seconds()),
            std::floor(ExactPercentile(e_ms, 0.99)));
  const auto& nt = s.overall().non_emergency().answer_times();
  EXPECT_EQ(nt.answered(), 951);
  // 101 answers run past 600 s, into the 10-second buckets.
  EXPECT_DOUBLE_EQ(nt.percentile_error_seconds(), 10.0);
  for (double q : {0.5, 0.9, 0.99}) {
    EXPECT_LE(
        std::fabs(ExactPercentile(n_ms, q) - (q == 0.5   ? nt.median_seconds()
                                              : q == 0.9 ? nt.p90_seconds()
                                                         : nt.p99_seconds())),
        nt.percentile_error_seconds())
        << q;
  }
  ASSERT_EQ(s.months_size(), 3);
  for (const auto& m : s.months()) {
    SCOPED_TRACE(m.month());
    EXPECT_EQ(m.emergency().within_10s().ratio().numerator(),
              by_month[m.month()][0]);
    EXPECT_EQ(m.emergency().within_10s().ratio().denominator(),
              by_month[m.month()][1]);
  }
  EXPECT_EQ(s.months(0).month(), "2021-10");
  EXPECT_EQ(s.months(0).period().end_date(), "2021-10-31");
}

TEST_F(VictimServiceServer, SameStreamsTwiceChangeNothing) {
  LoadMet();
  const std::string checks = Summary().SerializeAsString();
  const std::string calls = Calls().SerializeAsString();
  auto reviews =
      SendReviews(testing::ReviewBatches(testing::MetCaseReviews(), 40));
  ASSERT_TRUE(reviews.ok());
  for (const auto& a : *reviews) {
    EXPECT_EQ(a.accepted(), 0);
    EXPECT_EQ(a.duplicates(), a.results_size());
  }
  auto again = SendCalls(testing::CallBatches(testing::MetCallRecords(), 700));
  ASSERT_TRUE(again.ok());
  for (const auto& a : *again) {
    EXPECT_EQ(a.accepted(), 0);
    EXPECT_EQ(a.duplicates(), a.results_size());
  }
  EXPECT_EQ(Summary().SerializeAsString(), checks);
  EXPECT_EQ(Calls().SerializeAsString(), calls);
  EXPECT_TRUE(CreateAssessment(testing::MetAssessment()).ok());
  v1::Assessment changed = testing::MetAssessment();
  changed.set_sample_description("another sample");
  EXPECT_EQ(CreateAssessment(changed).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(VictimServiceServer, BadCaseReviewsAreRejectedAloneAndStoreNothing) {
  LoadMet();
  const std::string before = Summary().SerializeAsString();
  const auto reviews = testing::MetCaseReviews();

  v1::CaseReviewBatch batch;
  batch.set_sequence(9);
  batch.set_assessment_id(testing::MetAssessment().assessment_id());
  v1::CaseReview base = reviews[0];
  auto* unspecified = batch.add_reviews();
  *unspecified = base;
  unspecified->set_case_id("bad-unspecified");
  unspecified->mutable_checks(2)->clear_check();
  auto* twice = batch.add_reviews();
  *twice = base;
  twice->set_case_id("bad-twice");
  *twice->add_checks() = base.checks(0);
  auto* no_type = batch.add_reviews();
  *no_type = base;
  no_type->set_case_id("bad-file-type");
  no_type->clear_file_type();
  auto* changed = batch.add_reviews();
  *changed = reviews[1];
  changed->set_offence_group(v1::DRUG_OFFENCES);  // same id, new content
  auto acks = SendReviews({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  const BatchAck& ack = (*acks)[0];
  EXPECT_EQ(ack.sequence(), 9u);
  EXPECT_EQ(ack.rejected(), 4);
  EXPECT_EQ(ack.accepted(), 0);
  ASSERT_EQ(ack.results_size(), 4);
  EXPECT_EQ(ack.results(0).violations(0).field(), "reviews[0].checks[2].check");
  EXPECT_EQ(ack.results(1).violations(0).field(),
            absl::StrCat("reviews[1].checks[", base.checks_size(), "].check"));
  EXPECT_EQ(ack.results(2).violations(0).field(), "reviews[2].file_type");
  EXPECT_EQ(ack.results(3).violations(0).field(), "id");
  EXPECT_EQ(Summary().SerializeAsString(), before);

  // An unknown assessment or an empty batch ends the stream.
  v1::CaseReviewBatch unknown = batch;
  unknown.set_assessment_id("no-such-assessment");
  EXPECT_EQ(SendReviews({unknown}).status().code(),
            absl::StatusCode::kNotFound);
  v1::CaseReviewBatch empty;
  empty.set_assessment_id(batch.assessment_id());
  EXPECT_EQ(SendReviews({empty}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Summary().SerializeAsString(), before);
}

TEST_F(VictimServiceServer, BadCallRecordsAreRejectedAloneAndStoreNothing) {
  LoadMet();
  const std::string before = Calls().SerializeAsString();
  const auto calls = testing::MetCallRecords();
  v1::CallRecord good;
  good.set_call_id("new-good");
  good.set_force("metropolitan");
  good.set_channel(v1::NON_EMERGENCY_101);
  good.mutable_offered_at()->set_seconds(1633046400 + 3600);
  good.mutable_abandoned()->set_waited_ms(1000);

  v1::CallRecordBatch batch;
  batch.set_sequence(3);
  *batch.add_calls() = good;
  auto* unknown_force = batch.add_calls();
  *unknown_force = good;
  unknown_force->set_call_id("bad-force");
  unknown_force->set_force("atlantis");
  auto* negative = batch.add_calls();
  *negative = good;
  negative->set_call_id("bad-negative");
  negative->clear_abandoned();
  negative->mutable_answered()->set_answer_ms(-5);
  auto* both = batch.add_calls();
  *both = good;
  both->set_call_id("bad-both");
  both->mutable_answered()->set_answer_ms(5000);
  auto* wrong_channel = batch.add_calls();
  *wrong_channel = good;
  wrong_channel->set_call_id("bad-channel");
  wrong_channel->set_channel(v1::ONLINE);
  auto* conflict = batch.add_calls();
  *conflict = calls[0];
  conflict->mutable_offered_at()->set_seconds(conflict->offered_at().seconds() +
                                              1);

  auto acks = SendCalls({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  const BatchAck& ack = (*acks)[0];
  EXPECT_EQ(ack.accepted(), 1);
  EXPECT_EQ(ack.rejected(), 5);
  ASSERT_EQ(ack.results_size(), 6);
  EXPECT_EQ(ack.results(0).outcome(), RecordResult::ACCEPTED);
  EXPECT_EQ(ack.results(1).violations(0).field(), "calls[1].force");
  EXPECT_EQ(ack.results(2).violations(0).field(),
            "calls[2].answered.answer_ms");
  EXPECT_EQ(ack.results(3).violations(0).field(), "calls[3].abandoned");
  EXPECT_EQ(ack.results(4).violations(0).field(), "calls[4].channel");
  EXPECT_EQ(ack.results(5).violations(0).field(), "id");
  // Only the good 101 call changed anything.
  v1::CallHandlingSummary after = Calls();
  EXPECT_EQ(after.overall().non_emergency().offered(), 1501);
  EXPECT_EQ(after.overall().non_emergency().abandoned(), 550);
  EXPECT_EQ(after.overall().emergency().SerializeAsString(), [&] {
    v1::CallHandlingSummary b;
    b.ParseFromString(before);
    return b.overall().emergency().SerializeAsString();
  }());
}

TEST_F(VictimServiceServer, StreamFailingHalfWayKeepsAcknowledgedBatches) {
  auto batches = testing::CallBatches(testing::MetCallRecords(), 500);
  std::vector<v1::CallRecordBatch> sent = {batches[0], batches[1],
                                           v1::CallRecordBatch(), batches[2]};
  auto r = SendCalls(sent);  // the empty third batch ends the stream
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  int64_t expected = 0;
  for (int b = 0; b < 2; ++b) {
    for (const auto& c : batches[b].calls()) {
      if (c.channel() == v1::NON_EMERGENCY_101) ++expected;
    }
  }
  EXPECT_EQ(Calls().overall().non_emergency().offered(), expected);
  // Resuming from the last acknowledged batch completes the feed exactly.
  std::vector<v1::CallRecordBatch> rest(batches.begin() + 2, batches.end());
  ASSERT_TRUE(SendCalls(rest).ok());
  ASSERT_TRUE(CreateAssessment(testing::MetAssessment()).ok());
  ExpectPublishedCalls(Calls());
}

TEST_F(VictimServiceServer, PublishedMonthsAndNationalView) {
  LoadMet();
  auto month = [](const std::string& force, const std::string& m, int64_t u,
                  int64_t mid, int64_t over, double mean) {
    v1::MonthlyCallAggregate a;
    a.set_force(force);
    a.set_month(m);
    a.set_under_10s(u);
    a.set_from_10_to_60s(mid);
    a.set_over_60s(over);
    a.set_calls(u + mid + over);
    a.set_mean_answer_seconds(mean);
    a.set_source("police.uk 999 data (test figures)");
    return a;
  };
  v1::MonthlyCallAggregateBatch batch;
  batch.set_sequence(1);
  *batch.add_months() = month("kent", "2021-10", 9000, 800, 200, 6.5);
  *batch.add_months() = month("kent", "2021-11", 9500, 400, 100, 4.5);
  *batch.add_months() = month("essex", "2021-10", 7000, 2500, 500, 12.0);
  // Met has records for October: the published month is kept but records win.
  *batch.add_months() = month("metropolitan", "2021-10", 1, 1, 1, 30);
  auto bad = month("kent", "2021-12", 100, 10, 5, 5);
  bad.set_calls(120);  // bands add up to 115
  *batch.add_months() = bad;
  auto acks = SendMonths({batch});
  ASSERT_TRUE(acks.ok()) << acks.status();
  EXPECT_EQ((*acks)[0].accepted(), 4);
  ASSERT_EQ((*acks)[0].results(4).outcome(), RecordResult::REJECTED);
  EXPECT_EQ((*acks)[0].results(4).violations(0).field(), "months[4].calls");
  // Again: duplicates.
  batch.mutable_months()->DeleteSubrange(4, 1);
  auto again = SendMonths({batch});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].duplicates(), 4);

  v1::CallHandlingSummary kent = Calls("kent");
  const auto& e = kent.overall().emergency();
  EXPECT_EQ(e.source(), v1::PUBLISHED_MONTHLY);
  EXPECT_EQ(e.within_10s().ratio().numerator(), 18500);
  EXPECT_EQ(e.within_10s().ratio().denominator(), 20000);
  EXPECT_TRUE(e.target_met());  // 92.5%
  EXPECT_NEAR(e.answer_times().mean_seconds(), 5.5, 1e-12);
  EXPECT_FALSE(e.answer_times().percentiles_available());
  EXPECT_EQ(kent.months(2).emergency().source(),
            v1::FIGURE_SOURCE_UNSPECIFIED);  // December: no data
  ExpectPublishedCalls(Calls());             // records win for the Met

  v1::GetNationalCallHandlingRequest req;
  req.mutable_period()->set_start_date("2021-10-01");
  req.mutable_period()->set_end_date("2021-12-31");
  v1::NationalCallHandling national;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->GetNationalCallHandling(&ctx, req, &national).ok());
  ASSERT_EQ(national.forces_size(), 3);
  EXPECT_EQ(national.forces(0).force(), "essex");
  EXPECT_EQ(national.forces(1).force(), "kent");
  EXPECT_EQ(national.forces(2).force(), "metropolitan");
  EXPECT_EQ(Pct1(national.forces(0).emergency_within_10s().value()), 70.0);
  EXPECT_EQ(Pct1(national.forces(2).emergency_within_10s().value()), 63.9);
  EXPECT_EQ(Pct1(national.forces(2).non_emergency_abandonment().value()), 36.6);
  EXPECT_FALSE(national.forces(0).has_non_emergency_abandonment());
  EXPECT_EQ(national.emergency_lines().forces(), 3);
  // Unweighted mean of 0.70, 0.925, 0.639 (raw space for three values).
  if (!national.emergency_lines().log_space()) {
    EXPECT_NEAR(national.emergency_lines().mean(), (0.7 + 0.925 + 0.639) / 3,
                1e-9);
  }
  EXPECT_FALSE(national.has_abandonment_lines());  // one force only
}

TEST_F(VictimServiceServer, BadRequestsNameTheField) {
  struct Case {
    std::string field;
    std::function<void(v1::Assessment*)> spoil;
  };
  std::vector<Case> cases = {
      {"assessment.force", [](v1::Assessment* a) { a->set_force("atlantis"); }},
      {"assessment.assessment_id",
       [](v1::Assessment* a) { a->set_assessment_id("has space"); }},
      {"assessment.period.end_date",
       [](v1::Assessment* a) {
         a->mutable_period()->set_end_date("2021-02-30");
       }},
      {"assessment.sample_description",
       [](v1::Assessment* a) { a->clear_sample_description(); }},
  };
  for (const auto& c : cases) {
    v1::Assessment a = testing::MetAssessment();
    c.spoil(&a);
    grpc::Status s = CreateAssessment(a);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    auto v = Violations(s);
    ASSERT_FALSE(v.empty()) << c.field;
    EXPECT_EQ(v[0].field(), c.field) << s.error_message();
  }
  v1::ListAssessmentsRequest list;
  list.set_force("metropolitan");
  v1::ListAssessmentsResponse listed;
  grpc::ClientContext lctx;
  ASSERT_TRUE(stub_->ListAssessments(&lctx, list, &listed).ok());
  EXPECT_EQ(listed.assessments_size(), 0);  // nothing stored

  v1::GetCallHandlingSummaryRequest req;
  req.set_force("metropolitan");
  req.mutable_period()->set_start_date("2021-10-02");
  req.mutable_period()->set_end_date("2021-12-31");
  v1::CallHandlingSummary resp;
  grpc::ClientContext ctx;
  grpc::Status s = stub_->GetCallHandlingSummary(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_FALSE(Violations(s).empty());
  EXPECT_EQ(Violations(s)[0].field(), "period.start_date");

  v1::GetCheckSummaryRequest sreq;
  sreq.set_assessment_id("no-such-assessment");
  v1::CheckSummary sresp;
  grpc::ClientContext sctx;
  EXPECT_EQ(stub_->GetCheckSummary(&sctx, sreq, &sresp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(VictimServiceServer, DataVersionGrowsWithWrites) {
  auto version = [&] {
    peel::common::v1::DataVersion v;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->GetDataVersion(&ctx, {}, &v).ok());
    EXPECT_EQ(v.service(), kService);
    return v.version();
  };
  const uint64_t v0 = version();
  ASSERT_TRUE(CreateAssessment(testing::MetAssessment()).ok());
  const uint64_t v1_ = version();
  EXPECT_GT(v1_, v0);
  ASSERT_TRUE(CreateAssessment(testing::MetAssessment()).ok());  // identical
  EXPECT_EQ(version(), v1_);
}

}  // namespace
}  // namespace peel::victimservice
