// workforce: person records over the 43 forces (joining 1985-2022, three in
// ten leavers within ten years), one version per person.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/store/keys.h"
#include "common/util/dates.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "tools/bench/forces.h"
#include "tools/bench/harness.h"
#include "tools/bench/workload.h"

namespace peel::bench {
namespace {

using ::peel::workforce::v1::PersonRecordBatch;
using ::peel::workforce::v1::WorkforceService;

struct Person {
  std::string id;
  const std::string* force;
  int worker_type, rank, sex, ethnic_group, leaver_type;
  double fte;
  bool uplift_funded, high_risk_role;
  std::string joined, left;
};

Person Make(int64_t i) {
  static const int32_t first = peel::dates::DaysFromCivil(1985, 1, 1);
  static const int32_t last = peel::dates::DaysFromCivil(2022, 3, 31);
  const uint64_t h = Mix(i);
  const uint64_t h2 = Mix(~i);
  const auto& forces = PeelForces();
  Person p;
  p.id = absl::StrFormat("%016x%016x", h2, i);
  p.force = &forces[static_cast<size_t>(i) % forces.size()];
  const int kind = static_cast<int>(h % 100);
  p.worker_type = kind < 60   ? 1
                  : kind < 90 ? 2
                  : kind < 95 ? 3
                  : kind < 98 ? 4
                              : 5;
  p.rank = p.worker_type == 1 || p.worker_type == 4 ? 1 : 8;
  p.sex = (h >> 7) % 3 == 0 ? 1 : 2;
  p.ethnic_group = static_cast<int>(1 + (h >> 9) % 6);
  p.fte = (h >> 12) % 5 == 0 ? 0.5 : 1.0;
  p.uplift_funded = (h >> 15) % 10 == 0;
  p.high_risk_role = (h >> 19) % 50 == 0;
  const int32_t joined =
      first +
      static_cast<int32_t>((h >> 26) % static_cast<uint64_t>(last - first));
  p.joined = peel::dates::FormatIsoDate(joined);
  p.leaver_type = 0;
  if ((h >> 45) % 10 < 3) {
    int32_t left = joined + 1 + static_cast<int32_t>((h >> 49) % 3650);
    left = std::min(left, last);
    if (left > joined) {
      p.left = peel::dates::FormatIsoDate(left);
      p.leaver_type = static_cast<int>(1 + (h2 >> 5) % 6);
    }
  }
  return p;
}

void Fill(const Person& p, ::peel::workforce::v1::PersonRecord* r) {
  r->set_force(*p.force);
  r->set_person_id(p.id);
  r->set_worker_type(
      static_cast<::peel::workforce::v1::WorkerType>(p.worker_type));
  r->set_rank(static_cast<::peel::workforce::v1::Rank>(p.rank));
  r->set_sex(static_cast<::peel::workforce::v1::Sex>(p.sex));
  r->set_ethnic_group(
      static_cast<::peel::workforce::v1::EthnicGroup>(p.ethnic_group));
  r->set_fte(p.fte);
  r->set_uplift_funded(p.uplift_funded);
  r->set_high_risk_role(p.high_risk_role);
  r->set_date_joined(p.joined);
  if (!p.left.empty()) {
    r->set_date_left(p.left);
    r->set_leaver_type(
        static_cast<::peel::workforce::v1::LeaverType>(p.leaver_type));
  }
}

class Workforce : public Workload {
 public:
  std::string name() const override { return "workforce"; }
  std::string health_name() const override {
    return "peel.workforce.v1.WorkforceService";
  }
  std::string record_kind() const override { return "person records"; }
  void Connect(std::shared_ptr<grpc::Channel> channel) override {
    stub_ = WorkforceService::NewStub(channel);
  }
  double Ingest(int64_t from, int64_t to, int streams, int batch,
                bool pregenerate) override {
    auto make = [](int64_t first, int64_t n) {
      PersonRecordBatch b;
      for (int64_t i = first; i < first + n; ++i)
        Fill(Make(i), b.add_records());
      return b;
    };
    auto open = [this](grpc::ClientContext* ctx) {
      return stub_->IngestPersonRecords(ctx);
    };
    return StreamBatches<PersonRecordBatch>(open, make, from, to, streams,
                                            batch, pregenerate);
  }
  std::vector<Summary> Summaries() override {
    Summary s;
    s.name = "GetWorkforceProfile (headcount, FTE, shares, joiners/leavers)";
    s.call = [this] {
      ::peel::workforce::v1::GetWorkforceProfileRequest req;
      req.set_force("metropolitan");
      req.set_as_of("2022-03-31");
      ::peel::workforce::v1::WorkforceProfile resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(30));
      grpc::Status st = stub_->GetWorkforceProfile(&ctx, req, &resp);
      if (!st.ok()) Fail("GetWorkforceProfile: " + st.error_message());
    };
    s.sql =
        "SELECT worker_type, rank, count(*), sum(fte), count(*) FILTER (WHERE "
        "sex = 1) AS female, count(*) FILTER (WHERE ethnic_group IN "
        "(1,2,3,5)) AS minority, count(*) FILTER (WHERE ethnic_group <> 6) AS "
        "stated, count(*) FILTER (WHERE date_joined > '2021-03-31') AS "
        "joiners FROM wf_person WHERE force = 'metropolitan' AND date_joined "
        "<= '2022-03-31' AND (date_left IS NULL OR date_left > '2022-03-31') "
        "GROUP BY worker_type, rank UNION ALL SELECT worker_type, 0, count(*), "
        "0, 0, 0, 0, 0 FROM wf_person WHERE force = 'metropolitan' AND "
        "date_left > '2021-03-31' AND date_left <= '2022-03-31' GROUP BY "
        "worker_type";
    return {s};
  }
  void KeyValue(int64_t i, std::string* key,
                std::string* value) const override {
    const Person p = Make(i);
    *key = store::KeyBuilder('P').Id(*p.force).Id(p.id).Take();
    ::peel::workforce::v1::PersonRecord r;
    Fill(p, &r);
    r.SerializeToString(value);
  }
  std::string PgSchema() const override {
    return "CREATE TABLE wf_person (force text NOT NULL, person_id text NOT "
           "NULL, worker_type smallint NOT NULL, rank smallint NOT NULL, sex "
           "smallint NOT NULL, ethnic_group smallint NOT NULL, fte real NOT "
           "NULL, uplift_funded boolean NOT NULL, high_risk_role boolean NOT "
           "NULL, date_joined date NOT NULL, date_left date, leaver_type "
           "smallint, PRIMARY KEY (force, person_id))";
  }
  std::string PgTable() const override { return "wf_person"; }
  void PgRows(int64_t first, int64_t count, std::string* out) const override {
    for (int64_t i = first; i < first + count; ++i) {
      const Person p = Make(i);
      absl::StrAppendFormat(out, "%s,%s,%d,%d,%d,%d,%.1f,%c,%c,%s,%s,%s\n",
                            *p.force, p.id, p.worker_type, p.rank, p.sex,
                            p.ethnic_group, p.fte, p.uplift_funded ? 't' : 'f',
                            p.high_risk_role ? 't' : 'f', p.joined, p.left,
                            p.left.empty() ? "" : absl::StrCat(p.leaver_type));
    }
  }

 private:
  std::unique_ptr<WorkforceService::Stub> stub_;
};

}  // namespace

std::unique_ptr<Workload> MakeWorkforceWorkload() {
  return std::make_unique<Workforce>();
}

}  // namespace peel::bench
