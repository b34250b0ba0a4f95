// Adapter for peel.soc.v1.SocDisruptionService: the force's disruptions over
// the 12 whole months ending with the period's last month, and the national
// disruptions per 1,000 population.
#include "absl/strings/str_cat.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/catalogue.h"

namespace peel::gateway {
namespace {

namespace soc = ::peel::soc::v1;
using peel::common::v1::Estimate;
using Stub = soc::SocDisruptionService::Stub;

v1::KeyFigure Figure(absl::string_view metric, const Estimate& e) {
  v1::KeyFigure f;
  f.set_metric(std::string(metric));
  *f.mutable_estimate() = e;
  return f;
}

ForceEvidence FiguresOf(const soc::DisruptionSummary& s) {
  ForceEvidence out;
  Estimate count;
  count.set_value(static_cast<double>(s.disruptions()));
  count.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  count.set_sample_size(s.disruptions());
  *count.mutable_provenance() = s.provenance();
  count.mutable_provenance()->set_method(absl::StrCat(
      "disruptions recorded in the 12 months; previous 12 months: ",
      s.change().previous()));
  out.figures.push_back(Figure(metric::kSocDisruptions, count));
  if (s.has_per_1000_population()) {
    out.figures.push_back(
        Figure(metric::kSocDisruptionsPer1000, s.per_1000_population()));
  }
  for (const auto& p : s.by_pillar()) {
    if (p.pillar() == soc::PURSUE) {
      out.figures.push_back(Figure(metric::kSocPursueShare, p.share()));
    }
  }
  return out;
}

class SocDisruptionsAdapter final : public BackendAdapter {
 public:
  v1::Backend backend() const override { return v1::SOC_DISRUPTIONS; }

  void FetchForce(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& force, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<ForceEvidence>)> done) override {
    soc::GetDisruptionSummaryRequest req;
    req.set_force(force);
    *req.mutable_period() = TwelveMonthsTo(period);
    CallUnary<Stub, soc::GetDisruptionSummaryRequest, soc::DisruptionSummary>(
        scope, soc::SocDisruptionService::NewStub(channel),
        &Stub::async_interface::GetDisruptionSummary, std::move(req),
        [done = std::move(done)](absl::StatusOr<soc::DisruptionSummary> s) {
          if (!s.ok()) {
            done(s.status());
          } else {
            done(FiguresOf(*s));
          }
        });
  }

  void FetchNational(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& metric, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<NationalValues>)> done) override {
    if (metric != metric::kSocDisruptionsPer1000) {
      done(absl::InvalidArgumentError(absl::StrCat(
          "soc-disruptions has no national view of '", metric, "'")));
      return;
    }
    soc::GetNationalDisruptionsRequest req;
    *req.mutable_period() = TwelveMonthsTo(period);
    CallUnary<Stub, soc::GetNationalDisruptionsRequest,
              soc::NationalDisruptions>(
        scope, soc::SocDisruptionService::NewStub(channel),
        &Stub::async_interface::GetNationalDisruptions, std::move(req),
        [done = std::move(done)](absl::StatusOr<soc::NationalDisruptions> n) {
          if (!n.ok()) {
            done(n.status());
            return;
          }
          NationalValues out;
          for (const auto& f : n->forces()) {
            if (!f.has_per_1000_population()) continue;
            v1::ForceValue v;
            v.set_force(f.force());
            v.set_value(f.per_1000_population().value());
            *v.mutable_estimate() = f.per_1000_population();
            out.values.push_back(std::move(v));
          }
          done(std::move(out));
        });
  }

  void FetchDataVersion(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      std::function<void(absl::StatusOr<peel::common::v1::DataVersion>)> done)
      override {
    CallUnary<Stub, peel::common::v1::DataVersionRequest,
              peel::common::v1::DataVersion>(
        scope, soc::SocDisruptionService::NewStub(channel),
        &Stub::async_interface::GetDataVersion, {}, std::move(done));
  }
};

}  // namespace

std::unique_ptr<BackendAdapter> MakeSocDisruptionsAdapter() {
  return std::make_unique<SocDisruptionsAdapter>();
}

}  // namespace peel::gateway
