// Bad input to crime-recording (issue 2's list, issue 10's sweep): every
// kind of invalid audit and audited incident is refused naming its field
// with the state unchanged; batch limits; deadlines.
#include "absl/strings/str_format.h"
#include "common/testing/server_bin.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "integration-tests/badinput/sweep.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"

namespace peel::reliability {
namespace {

namespace v1 = ::peel::crimerecording::v1;

constexpr char kAudit[] = "badinput-audit";

v1::Audit Audit(const std::string& id) {
  v1::Audit a;
  a.set_audit_id(id);
  a.set_force("kent");
  a.mutable_period()->set_start_date("2022-01-01");
  a.mutable_period()->set_end_date("2022-06-30");
  a.set_recorded_crime_base(100000);
  a.set_recorded_crime_base_source("test");
  for (auto stratum : {v1::VIOLENCE, v1::OTHER}) {
    auto* s = a.add_strata();
    s->set_stratum(stratum);
    s->set_weight(0.5);
  }
  return a;
}

class CrimeRecordingBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = peel::testing::ServerProcess::Start(
        {peel::testing::ServerBin("PEEL_CRIME_RECORDING_BIN",
                                  PEEL_CRIME_RECORDING_BIN_PATH),
         "peel.crimerecording.v1.CrimeRecordingService",
         dir_.Sub("data"),
         dir_.path(),
         {}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::CrimeRecordingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(Create(Audit(kAudit)).ok());
    ASSERT_TRUE(
        incidents_.Send(incidents_.batch_of({incidents_.fresh(1)})).ok());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << server_->Log();
  }

  grpc::Status Create(const v1::Audit& a) {
    v1::CreateAuditRequest req;
    *req.mutable_audit() = a;
    v1::Audit resp;
    grpc::ClientContext ctx;
    return stub_->CreateAudit(&ctx, req, &resp);
  }

  std::string State() {
    peel::common::v1::DataVersion version;
    v1::GetRecordingEstimateRequest req;
    req.set_audit_id(kAudit);
    v1::RecordingEstimate estimate;
    grpc::ClientContext c1, c2;
    EXPECT_TRUE(stub_->GetDataVersion(&c1, {}, &version).ok());
    EXPECT_TRUE(stub_->GetRecordingEstimate(&c2, req, &estimate).ok());
    return version.SerializeAsString() + estimate.SerializeAsString();
  }

  peel::testing::TempDir dir_{"badinput-crime-recording"};
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<v1::CrimeRecordingService::Stub> stub_;
  StateFn state_ = [this] { return State(); };

  Ingest<v1::AuditedIncidentBatch, v1::AuditedIncident> incidents_{
      "incidents",
      [this](grpc::ClientContext* c) {
        return stub_->IngestAuditedIncidents(c);
      },
      [](std::vector<v1::AuditedIncident> is) {
        v1::AuditedIncidentBatch b;
        b.set_sequence(1);
        b.set_audit_id(kAudit);
        for (auto& i : is) *b.add_incidents() = std::move(i);
        return b;
      },
      [](int n) {
        v1::AuditedIncident i;
        i.set_incident_id(absl::StrFormat("badinput-incident-%d", n));
        i.set_stratum(n % 2 ? v1::VIOLENCE : v1::OTHER);
        auto* c = i.add_crimes();
        c->set_recorded(true);
        c->set_correctly_classified(true);
        i.add_crimes()->set_recorded(false);
        return i;
      }};
};

TEST_F(CrimeRecordingBadInput, IncidentsNameTheField) {
  using I = v1::AuditedIncident;
  ExpectRecordsRefused<v1::AuditedIncidentBatch, I>(
      incidents_,
      {
          {"incident_id", [](I* i) { i->clear_incident_id(); }},
          {"stratum", [](I* i) { i->clear_stratum(); }},
          {"stratum",  // not one of the audit's strata
           [](I* i) { i->set_stratum(v1::SEXUAL_OFFENCES); }},
          {"crimes[1].correctly_classified",  // counted but not recorded
           [](I* i) { i->mutable_crimes(1)->set_correctly_classified(true); }},
          {"crimes[1].recorded_within_24h",
           [](I* i) { i->mutable_crimes(1)->set_recorded_within_24h(true); }},
          {"id",  // an id already stored, with other content
           [](I* i) {
             i->set_incident_id("badinput-incident-1");
             i->clear_crimes();
           }},
      },
      state_);
}

TEST_F(CrimeRecordingBadInput, AuditsNameTheField) {
  auto create = [this](std::function<void(v1::Audit*)> spoil) {
    return [this, spoil] {
      v1::Audit a = Audit("badinput-other");
      spoil(&a);
      return Create(a);
    };
  };
  const auto invalid = grpc::StatusCode::INVALID_ARGUMENT;
  ExpectUnaryRefused(
      {
          {"unknown force",
           create([](v1::Audit* a) { a->set_force("atlantis"); }), invalid,
           "audit.force"},
          {"period not six months", create([](v1::Audit* a) {
             a->mutable_period()->set_end_date("2022-05-31");
           }),
           invalid, "audit.period.end_date"},
          {"end before start", create([](v1::Audit* a) {
             a->mutable_period()->set_end_date("2021-12-01");
           }),
           invalid, "audit.period.end_date"},
          {"stratum unspecified",
           create([](v1::Audit* a) { a->mutable_strata(0)->clear_stratum(); }),
           invalid, "audit.strata[0].stratum"},
          {"weights not summing to 1",
           create([](v1::Audit* a) { a->mutable_strata(0)->set_weight(0.6); }),
           invalid, "audit.strata"},
          {"negative R",
           create([](v1::Audit* a) { a->set_recorded_crime_base(-1); }),
           invalid, "audit.recorded_crime_base"},
          {"missing R",
           create([](v1::Audit* a) { a->clear_recorded_crime_base(); }),
           invalid, "audit.recorded_crime_base"},
          {"same id, other content",
           [this] {
             v1::Audit a = Audit(kAudit);
             a.set_recorded_crime_base(5);
             return Create(a);
           },
           grpc::StatusCode::ALREADY_EXISTS, ""},
          {"unknown audit",
           [this] {
             auto b = incidents_.batch_of({incidents_.fresh(7)});
             b.set_audit_id("no-such-audit");
             auto acks = incidents_.Send(b);
             return grpc::Status(
                 static_cast<grpc::StatusCode>(acks.status().code()),
                 std::string(acks.status().message()));
           },
           grpc::StatusCode::NOT_FOUND, ""},
      },
      state_);
}

TEST_F(CrimeRecordingBadInput, EmptyLongAndOversizedBatchesAreRefused) {
  ExpectBatchLimits<v1::AuditedIncidentBatch, v1::AuditedIncident>(
      incidents_,
      [](v1::AuditedIncident* i, std::string s) { i->set_incident_id(s); },
      state_);
}

TEST_F(CrimeRecordingBadInput, ShortDeadlineLeavesNoPartialWrite) {
  ExpectDeadlineLeavesNoPartialWrite(incidents_, state_);
}

}  // namespace
}  // namespace peel::reliability
