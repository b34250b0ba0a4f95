// soc-disruptions: disruptions over the five years to 30 June 2022, a fifth
// of them the Metropolitan Police Service's, the rest over the 43 forces;
// against individuals (no group), so no groups need registering first.
#include "absl/strings/str_format.h"
#include "common/store/keys.h"
#include "common/util/dates.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "tools/bench/forces.h"
#include "tools/bench/harness.h"
#include "tools/bench/workload.h"

namespace peel::bench {
namespace {

using ::peel::soc::v1::DisruptionBatch;
using ::peel::soc::v1::SocDisruptionService;

struct Disruption {
  std::string id;
  const std::string* force;
  std::string date;
  int pillar, magnitude, tactic, arrests, charges;
  int64_t cash_pence, drugs_grams;
};

Disruption Make(int64_t i) {
  static const int32_t first = peel::dates::DaysFromCivil(2017, 7, 1);
  static const int32_t days =
      peel::dates::DaysFromCivil(2022, 6, 30) - first + 1;
  const uint64_t h = Mix(i);
  const auto& forces = PeelForces();
  Disruption d;
  d.id = absl::StrFormat("bench-%010d", i);
  d.force = &forces[h % 5 == 0 ? 0 : (h >> 3) % forces.size()];
  d.date = peel::dates::FormatIsoDate(
      first + static_cast<int32_t>((h >> 9) % static_cast<uint64_t>(days)));
  const uint64_t p = (h >> 21) % 100;
  d.pillar = p < 78 ? 1 : p < 88 ? 3 : p < 95 ? 2 : 4;
  d.magnitude = static_cast<int>(1 + (h >> 28) % 5);
  d.tactic = static_cast<int>(1 + (h >> 32) % 10);
  d.arrests = static_cast<int>((h >> 36) % 3);
  d.charges = static_cast<int>((h >> 38) % 2);
  d.cash_pence = d.tactic == 4 ? static_cast<int64_t>((h >> 40) % 500000) : 0;
  d.drugs_grams = d.tactic == 4 ? static_cast<int64_t>((h >> 44) % 2000) : 0;
  return d;
}

void Fill(const Disruption& d, ::peel::soc::v1::Disruption* r) {
  r->set_disruption_id(d.id);
  r->set_force(*d.force);
  r->set_date(d.date);
  r->set_pillar(static_cast<::peel::soc::v1::Pillar>(d.pillar));
  r->set_magnitude(static_cast<::peel::soc::v1::Magnitude>(d.magnitude));
  r->set_tactic(static_cast<::peel::soc::v1::Tactic>(d.tactic));
  r->set_arrests(d.arrests);
  r->set_charges(d.charges);
  if (d.tactic == 4) {
    r->mutable_seizures()->set_cash_pence(d.cash_pence);
    r->mutable_seizures()->set_drugs_grams(d.drugs_grams);
  }
}

class SocDisruptions : public Workload {
 public:
  std::string name() const override { return "soc-disruptions"; }
  std::string health_name() const override {
    return "peel.soc.v1.SocDisruptionService";
  }
  std::string record_kind() const override { return "disruptions"; }
  void Connect(std::shared_ptr<grpc::Channel> channel) override {
    stub_ = SocDisruptionService::NewStub(channel);
  }
  double Ingest(int64_t from, int64_t to, int streams, int batch,
                bool pregenerate) override {
    auto make = [](int64_t first, int64_t n) {
      DisruptionBatch b;
      for (int64_t i = first; i < first + n; ++i) {
        Fill(Make(i), b.add_disruptions());
      }
      return b;
    };
    auto open = [this](grpc::ClientContext* ctx) {
      return stub_->IngestDisruptions(ctx);
    };
    return StreamBatches<DisruptionBatch>(open, make, from, to, streams, batch,
                                          pregenerate);
  }
  std::vector<Summary> Summaries() override {
    Summary s;
    s.name = "GetDisruptionSummary (4Ps x magnitude, force-year + year before)";
    s.call = [this] {
      ::peel::soc::v1::GetDisruptionSummaryRequest req;
      req.set_force("metropolitan");
      req.mutable_period()->set_start_date("2021-07-01");
      req.mutable_period()->set_end_date("2022-06-30");
      ::peel::soc::v1::DisruptionSummary resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(30));
      grpc::Status st = stub_->GetDisruptionSummary(&ctx, req, &resp);
      if (!st.ok()) Fail("GetDisruptionSummary: " + st.error_message());
    };
    s.sql =
        "SELECT pillar, magnitude, count(*), sum(arrests), sum(charges), "
        "sum(cash_pence), sum(drugs_grams) FROM soc_disruption WHERE force = "
        "'metropolitan' AND date BETWEEN '2021-07-01' AND '2022-06-30' GROUP "
        "BY pillar, magnitude UNION ALL SELECT 0, 0, count(*), 0, 0, 0, 0 "
        "FROM soc_disruption WHERE force = 'metropolitan' AND date BETWEEN "
        "'2020-07-01' AND '2021-06-30'";
    return {s};
  }
  void KeyValue(int64_t i, std::string* key,
                std::string* value) const override {
    const Disruption d = Make(i);
    *key = store::KeyBuilder('D').Id(d.id).Take();
    ::peel::soc::v1::Disruption r;
    Fill(d, &r);
    r.SerializeToString(value);
  }
  std::string PgSchema() const override {
    return "CREATE TABLE soc_disruption (disruption_id text PRIMARY KEY, "
           "force text NOT NULL, date date NOT NULL, pillar smallint NOT "
           "NULL, magnitude smallint NOT NULL, tactic smallint NOT NULL, "
           "arrests integer NOT NULL, charges integer NOT NULL, cash_pence "
           "bigint NOT NULL, drugs_grams bigint NOT NULL)";
  }
  std::string PgTable() const override { return "soc_disruption"; }
  void PgRows(int64_t first, int64_t count, std::string* out) const override {
    for (int64_t i = first; i < first + count; ++i) {
      const Disruption d = Make(i);
      absl::StrAppendFormat(out, "%s,%s,%s,%d,%d,%d,%d,%d,%d,%d\n", d.id,
                            *d.force, d.date, d.pillar, d.magnitude, d.tactic,
                            d.arrests, d.charges, d.cash_pence, d.drugs_grams);
    }
  }

 private:
  std::unique_ptr<SocDisruptionService::Stub> stub_;
};

}  // namespace

std::unique_ptr<Workload> MakeSocDisruptionsWorkload() {
  return std::make_unique<SocDisruptions>();
}

}  // namespace peel::bench
