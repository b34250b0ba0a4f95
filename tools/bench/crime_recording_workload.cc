// crime-recording: audited incidents of one CDI audit (the records the
// recording-rate estimate is built from), one crime each.
#include "absl/strings/str_format.h"
#include "common/store/keys.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "tools/bench/harness.h"
#include "tools/bench/workload.h"

namespace peel::bench {
namespace {

using ::peel::crimerecording::v1::AuditedIncidentBatch;
using ::peel::crimerecording::v1::CrimeRecordingService;
constexpr char kAudit[] = "bench-audit";

struct Incident {
  std::string id;
  int stratum;
  bool recorded, correct, within_24h, domestic_abuse;
};

Incident Make(int64_t i) {
  return {absl::StrFormat("inc-%010d", i),
          static_cast<int>(1 + i % 3),
          i % 11 != 0,
          i % 11 != 0,
          i % 11 != 0 && i % 4 != 0,
          i % 5 == 0};
}

void Fill(const Incident& r, ::peel::crimerecording::v1::AuditedIncident* inc) {
  inc->set_incident_id(r.id);
  inc->set_stratum(
      static_cast<::peel::crimerecording::v1::CrimeStratum>(r.stratum));
  auto* c = inc->add_crimes();
  c->set_recorded(r.recorded);
  c->set_correctly_classified(r.correct);
  c->set_recorded_within_24h(r.within_24h);
  c->set_domestic_abuse(r.domestic_abuse);
}

class CrimeRecording : public Workload {
 public:
  std::string name() const override { return "crime-recording"; }
  std::string health_name() const override {
    return "peel.crimerecording.v1.CrimeRecordingService";
  }
  std::string record_kind() const override { return "audited incidents"; }
  void Connect(std::shared_ptr<grpc::Channel> channel) override {
    stub_ = CrimeRecordingService::NewStub(channel);
  }
  void Setup() override {
    ::peel::crimerecording::v1::CreateAuditRequest req;
    auto* a = req.mutable_audit();
    a->set_audit_id(kAudit);
    a->set_force("metropolitan");
    a->mutable_period()->set_start_date("2021-07-01");
    a->mutable_period()->set_end_date("2021-12-31");
    a->set_recorded_crime_base(763400);
    a->set_recorded_crime_base_source("benchmark");
    for (auto [s, w] : {std::pair{::peel::crimerecording::v1::VIOLENCE, 0.4},
                        {::peel::crimerecording::v1::SEXUAL_OFFENCES, 0.1},
                        {::peel::crimerecording::v1::OTHER, 0.5}}) {
      auto* sw = a->add_strata();
      sw->set_stratum(s);
      sw->set_weight(w);
    }
    ::peel::crimerecording::v1::Audit resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(Deadline(10));
    grpc::Status s = stub_->CreateAudit(&ctx, req, &resp);
    if (!s.ok()) Fail("CreateAudit: " + s.error_message());
  }
  double Ingest(int64_t from, int64_t to, int streams, int batch,
                bool pregenerate) override {
    auto make = [](int64_t first, int64_t n) {
      AuditedIncidentBatch b;
      b.set_audit_id(kAudit);
      for (int64_t i = first; i < first + n; ++i) {
        Fill(Make(i), b.add_incidents());
      }
      return b;
    };
    auto open = [this](grpc::ClientContext* ctx) {
      return stub_->IngestAuditedIncidents(ctx);
    };
    return StreamBatches<AuditedIncidentBatch>(open, make, from, to, streams,
                                               batch, pregenerate);
  }
  std::vector<Summary> Summaries() override {
    Summary s;
    s.name = "GetRecordingEstimate (rate per stratum, one audit)";
    s.call = [this] {
      ::peel::crimerecording::v1::GetRecordingEstimateRequest req;
      req.set_audit_id(kAudit);
      ::peel::crimerecording::v1::RecordingEstimate resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(30));
      grpc::Status st = stub_->GetRecordingEstimate(&ctx, req, &resp);
      if (!st.ok()) Fail("GetRecordingEstimate: " + st.error_message());
    };
    s.sql =
        "SELECT stratum, count(*) AS crimes, count(*) FILTER (WHERE recorded) "
        "AS recorded, count(*) FILTER (WHERE recorded_within_24h) AS "
        "within_24h FROM cr_audited_incident WHERE audit_id = 'bench-audit' "
        "GROUP BY stratum";
    return {s};
  }
  void KeyValue(int64_t i, std::string* key,
                std::string* value) const override {
    const Incident r = Make(i);
    *key = store::KeyBuilder('I').Id(kAudit).Id(r.id).Take();
    ::peel::crimerecording::v1::AuditedIncident inc;
    Fill(r, &inc);
    inc.SerializeToString(value);
  }
  std::string PgSchema() const override {
    return "CREATE TABLE cr_audited_incident (audit_id text NOT NULL, "
           "incident_id text NOT NULL, stratum smallint NOT NULL, recorded "
           "boolean NOT NULL, correctly_classified boolean NOT NULL, "
           "recorded_within_24h boolean NOT NULL, domestic_abuse boolean NOT "
           "NULL, PRIMARY KEY (audit_id, incident_id))";
  }
  std::string PgTable() const override { return "cr_audited_incident"; }
  void PgRows(int64_t first, int64_t count, std::string* out) const override {
    for (int64_t i = first; i < first + count; ++i) {
      const Incident r = Make(i);
      absl::StrAppendFormat(out, "%s,%s,%d,%c,%c,%c,%c\n", kAudit, r.id,
                            r.stratum, r.recorded ? 't' : 'f',
                            r.correct ? 't' : 'f', r.within_24h ? 't' : 'f',
                            r.domestic_abuse ? 't' : 'f');
    }
  }

 private:
  std::unique_ptr<CrimeRecordingService::Stub> stub_;
};

}  // namespace

std::unique_ptr<Workload> MakeCrimeRecordingWorkload() {
  return std::make_unique<CrimeRecording>();
}

}  // namespace peel::bench
