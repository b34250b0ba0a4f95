// Adapter for peel.workforce.v1.WorkforceService: the force's workforce
// profile as at the period's end, and the national headlines.
#include "absl/strings/str_cat.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/catalogue.h"

namespace peel::gateway {
namespace {

namespace wf = ::peel::workforce::v1;
using peel::common::v1::Estimate;
using Stub = wf::WorkforceService::Stub;

v1::KeyFigure Figure(absl::string_view metric, const Estimate& e) {
  v1::KeyFigure f;
  f.set_metric(std::string(metric));
  *f.mutable_estimate() = e;
  return f;
}

ForceEvidence FiguresOf(const wf::WorkforceProfile& p) {
  ForceEvidence out;
  // Every figure says where it came from: the profile's provenance where
  // the service left the estimate's own unset.
  auto Figure = [&p](absl::string_view metric, const Estimate& e) {
    v1::KeyFigure f = ::peel::gateway::Figure(metric, e);
    if (!f.estimate().has_provenance()) {
      *f.mutable_estimate()->mutable_provenance() = p.provenance();
    }
    return f;
  };
  if (p.workforce().has_ethnic_minority_share()) {
    out.figures.push_back(Figure(metric::kWorkforceEthnicMinority,
                                 p.workforce().ethnic_minority_share()));
  }
  if (p.uplift().target_set() && p.uplift().has_progress()) {
    out.figures.push_back(
        Figure(metric::kWorkforceUplift, p.uplift().progress()));
  }
  for (const auto& t : p.by_worker_type()) {
    if (t.worker_type() == wf::POLICE_OFFICER && t.has_leaver_rate()) {
      out.figures.push_back(
          Figure(metric::kWorkforceLeaverRate, t.leaver_rate()));
    }
  }
  // The latest quarter with appointments.
  for (auto it = p.occupational_health_waits().rbegin();
       it != p.occupational_health_waits().rend(); ++it) {
    if (it->appointments() == 0) continue;
    Estimate e;
    e.set_value(it->mean_wait_days());
    e.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
    e.set_sample_size(it->appointments());
    *e.mutable_provenance() = p.provenance();
    *e.mutable_provenance()->mutable_period() = it->period();
    e.mutable_provenance()->set_method(
        absl::StrCat("mean days from referral to appointment, appointments in ",
                     it->quarter()));
    out.figures.push_back(Figure(metric::kWorkforceOhWait, e));
    break;
  }
  return out;
}

class WorkforceAdapter final : public BackendAdapter {
 public:
  v1::Backend backend() const override { return v1::WORKFORCE; }

  void FetchForce(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& force, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<ForceEvidence>)> done) override {
    wf::GetWorkforceProfileRequest req;
    req.set_force(force);
    req.set_as_of(EndOrToday(period));
    CallUnary<Stub, wf::GetWorkforceProfileRequest, wf::WorkforceProfile>(
        scope, wf::WorkforceService::NewStub(channel),
        &Stub::async_interface::GetWorkforceProfile, std::move(req),
        [done = std::move(done)](absl::StatusOr<wf::WorkforceProfile> p) {
          if (!p.ok()) {
            done(p.status());
          } else {
            done(FiguresOf(*p));
          }
        });
  }

  void FetchNational(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& metric, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<NationalValues>)> done) override {
    if (metric != metric::kWorkforceEthnicMinority &&
        metric != metric::kWorkforceUplift &&
        metric != metric::kWorkforceLeaverRate) {
      done(absl::InvalidArgumentError(
          absl::StrCat("workforce has no national view of '", metric, "'")));
      return;
    }
    wf::GetNationalWorkforceRequest req;
    req.set_as_of(EndOrToday(period));
    CallUnary<Stub, wf::GetNationalWorkforceRequest, wf::NationalWorkforce>(
        scope, wf::WorkforceService::NewStub(channel),
        &Stub::async_interface::GetNationalWorkforce, std::move(req),
        [metric,
         done = std::move(done)](absl::StatusOr<wf::NationalWorkforce> n) {
          if (!n.ok()) {
            done(n.status());
            return;
          }
          NationalValues out;
          for (const auto& f : n->forces()) {
            const Estimate* e = nullptr;
            if (metric == metric::kWorkforceEthnicMinority &&
                f.has_ethnic_minority_share()) {
              e = &f.ethnic_minority_share();
            } else if (metric == metric::kWorkforceUplift &&
                       f.has_uplift_progress()) {
              e = &f.uplift_progress();
            } else if (metric == metric::kWorkforceLeaverRate &&
                       f.has_officer_leaver_rate()) {
              e = &f.officer_leaver_rate();
            }
            if (e == nullptr) continue;
            v1::ForceValue v;
            v.set_force(f.force());
            v.set_value(e->value());
            *v.mutable_estimate() = *e;
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
        scope, wf::WorkforceService::NewStub(channel),
        &Stub::async_interface::GetDataVersion, {}, std::move(done));
  }
};

}  // namespace

std::unique_ptr<BackendAdapter> MakeWorkforceAdapter() {
  return std::make_unique<WorkforceAdapter>();
}

}  // namespace peel::gateway
