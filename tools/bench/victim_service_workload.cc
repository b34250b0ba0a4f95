// victim-service: 999/101 call records over 2021, half of them the
// Metropolitan Police Service's, the rest over the other 42 forces; 60% 999
// calls, one in eight abandoned.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/store/keys.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "tools/bench/forces.h"
#include "tools/bench/harness.h"
#include "tools/bench/workload.h"

namespace peel::bench {
namespace {

using ::peel::victimservice::v1::CallRecordBatch;
using ::peel::victimservice::v1::VictimService;
constexpr int64_t k2021 = 1609459200;  // 2021-01-01 00:00 UTC

struct Call {
  std::string id;
  const std::string* force;
  int channel;  // 1 = 999, 2 = 101
  int64_t offered_at;
  bool abandoned;
  int64_t ms;  // answer or wait time
};

Call Make(int64_t i) {
  const uint64_t h = Mix(i);
  Call c;
  c.id = absl::StrFormat("c%010d", i);
  c.force = &PeelForces()[i % 2 == 0 ? 0 : 1 + (i / 2) % 42];
  c.channel = i % 5 < 3 ? 1 : 2;
  c.offered_at = k2021 + static_cast<int64_t>(h % 31536000);
  c.abandoned = (h >> 25) % 8 == 0;
  c.ms = c.abandoned
             ? static_cast<int64_t>((h >> 30) % 300000)
             : static_cast<int64_t>((h >> 30) % 4 == 0 ? (h >> 33) % 900000
                                                       : (h >> 33) % 12000);
  return c;
}

void Fill(const Call& c, ::peel::victimservice::v1::CallRecord* r) {
  r->set_call_id(c.id);
  r->set_force(*c.force);
  r->set_channel(
      static_cast<::peel::victimservice::v1::ContactChannel>(c.channel));
  r->mutable_offered_at()->set_seconds(c.offered_at);
  if (c.abandoned) {
    r->mutable_abandoned()->set_waited_ms(c.ms);
  } else {
    r->mutable_answered()->set_answer_ms(c.ms);
  }
}

class VictimServiceWorkload : public Workload {
 public:
  std::string name() const override { return "victim-service"; }
  std::string health_name() const override {
    return "peel.victimservice.v1.VictimService";
  }
  std::string record_kind() const override { return "call records"; }
  void Connect(std::shared_ptr<grpc::Channel> channel) override {
    stub_ = VictimService::NewStub(channel);
  }
  double Ingest(int64_t from, int64_t to, int streams, int batch,
                bool pregenerate) override {
    auto make = [](int64_t first, int64_t n) {
      CallRecordBatch b;
      for (int64_t i = first; i < first + n; ++i) Fill(Make(i), b.add_calls());
      return b;
    };
    auto open = [this](grpc::ClientContext* ctx) {
      return stub_->IngestCallRecords(ctx);
    };
    return StreamBatches<CallRecordBatch>(open, make, from, to, streams, batch,
                                          pregenerate);
  }
  std::vector<Summary> Summaries() override {
    Summary s;
    s.name = "GetCallHandlingSummary (999 in 10 s, 101 abandoned; force-year)";
    s.call = [this] {
      ::peel::victimservice::v1::GetCallHandlingSummaryRequest req;
      req.set_force("metropolitan");
      req.mutable_period()->set_start_date("2021-01-01");
      req.mutable_period()->set_end_date("2021-12-31");
      ::peel::victimservice::v1::CallHandlingSummary resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(30));
      grpc::Status st = stub_->GetCallHandlingSummary(&ctx, req, &resp);
      if (!st.ok()) Fail("GetCallHandlingSummary: " + st.error_message());
    };
    // Per month, as the service's summary carries per-month figures.
    s.sql =
        "SELECT date_trunc('month', offered_at) AS month, "
        "count(*) FILTER (WHERE channel = 1) AS calls_999, "
        "count(*) FILTER (WHERE channel = 1 AND answer_ms < 10000) AS "
        "within_10s, count(*) FILTER (WHERE channel = 2) AS calls_101, "
        "count(*) FILTER (WHERE channel = 2 AND waited_ms IS NOT NULL) AS "
        "abandoned_101 FROM vs_call WHERE force = 'metropolitan' AND "
        "offered_at >= '2021-01-01' AND offered_at < '2022-01-01' "
        "GROUP BY 1 ORDER BY 1";
    return {s};
  }
  void KeyValue(int64_t i, std::string* key,
                std::string* value) const override {
    const Call c = Make(i);
    *key = store::KeyBuilder('C').Id(*c.force).Id(c.id).Take();
    ::peel::victimservice::v1::CallRecord r;
    Fill(c, &r);
    r.SerializeToString(value);
  }
  std::string PgSchema() const override {
    return "CREATE TABLE vs_call (force text NOT NULL, call_id text NOT NULL, "
           "channel smallint NOT NULL, offered_at timestamptz NOT NULL, "
           "answer_ms integer, waited_ms integer, PRIMARY KEY (force, "
           "call_id))";
  }
  std::string PgTable() const override { return "vs_call"; }
  void PgRows(int64_t first, int64_t count, std::string* out) const override {
    for (int64_t i = first; i < first + count; ++i) {
      const Call c = Make(i);
      absl::StrAppendFormat(out, "%s,%s,%d,%s,%s,%s\n", *c.force, c.id,
                            c.channel, Timestamp(c.offered_at),
                            c.abandoned ? "" : absl::StrCat(c.ms),
                            c.abandoned ? absl::StrCat(c.ms) : "");
    }
  }

 private:
  static std::string Timestamp(int64_t s) {
    // Seconds since the epoch as a PostgreSQL timestamptz literal.
    return absl::StrFormat(
        "%s", absl::FormatTime("%Y-%m-%d %H:%M:%S+00", absl::FromUnixSeconds(s),
                               absl::UTCTimeZone()));
  }
  std::unique_ptr<VictimService::Stub> stub_;
};

}  // namespace

std::unique_ptr<Workload> MakeVictimServiceWorkload() {
  return std::make_unique<VictimServiceWorkload>();
}

}  // namespace peel::bench
