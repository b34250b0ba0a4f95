// Adapter for peel.victimservice.v1.VictimService: the force's latest victim
// service assessment in the period (ListAssessments, then GetCheckSummary)
// and its call handling over the period's whole months, in parallel; the
// national call-handling view for the 999 and 101 comparisons.
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/join.h"

namespace peel::gateway {
namespace {

namespace vs = ::peel::victimservice::v1;
using peel::common::v1::Estimate;
using peel::common::v1::Period;

// The checks the gateway shows, by catalogue metric.
const std::pair<vs::Check, const char*> kChecks[] = {
    {vs::THRIVE_RISK_ASSESSMENT_DONE, metric::kVsaThrive},
    {vs::VULNERABILITY_CHECKED, metric::kVsaVulnerability},
    {vs::REPEAT_VICTIM_IDENTIFIED, metric::kVsaRepeatIdentified},
    {vs::REPEAT_VICTIM_RECORDED, metric::kVsaRepeatRecorded},
    {vs::EVIDENCE_PRESERVATION_ADVICE, metric::kVsaEvidenceAdvice},
    {vs::CRIME_PREVENTION_ADVICE, metric::kVsaPreventionAdvice},
    {vs::ALLOCATED_PER_POLICY, metric::kVsaAllocated},
    {vs::ARREST_AT_EARLIEST_OPPORTUNITY, metric::kVsaArrest},
};

v1::KeyFigure Figure(absl::string_view metric, const Estimate& e) {
  v1::KeyFigure f;
  f.set_metric(std::string(metric));
  *f.mutable_estimate() = e;
  return f;
}

struct ForceFetch {
  ForceFetch(CallScope s, std::unique_ptr<vs::VictimService::Stub> st, Period p,
             std::function<void(absl::StatusOr<ForceEvidence>)> d)
      : scope(s),
        stub(std::move(st)),
        period(std::move(p)),
        done(std::move(d)) {}
  CallScope scope;
  std::unique_ptr<vs::VictimService::Stub> stub;
  Period period;
  std::function<void(absl::StatusOr<ForceEvidence>)> done;
  std::unique_ptr<grpc::ClientContext> list_ctx, checks_ctx, calls_ctx;
  vs::ListAssessmentsRequest list_req;
  vs::ListAssessmentsResponse list_resp;
  vs::GetCheckSummaryRequest checks_req;
  vs::CheckSummary checks;
  bool has_checks = false;
  vs::GetCallHandlingSummaryRequest calls_req;
  vs::CallHandlingSummary calls;
  absl::Status checks_status, calls_status;
};

void Finish(ForceFetch* f) {
  if (!f->checks_status.ok() || !f->calls_status.ok()) {
    f->done(!f->checks_status.ok() ? f->checks_status : f->calls_status);
    delete f;
    return;
  }
  ForceEvidence out;
  const auto& emergency = f->calls.overall().emergency();
  if (emergency.has_within_10s()) {
    out.figures.push_back(
        Figure(metric::k999Within10s, emergency.within_10s()));
  }
  const auto& non_emergency = f->calls.overall().non_emergency();
  if (non_emergency.has_abandonment()) {
    out.figures.push_back(
        Figure(metric::k101Abandoned, non_emergency.abandonment()));
  }
  if (f->has_checks) {
    for (const auto& [check, metric_id] : kChecks) {
      for (const auto& c : f->checks.checks()) {
        if (c.check() == check && c.has_rate()) {
          out.figures.push_back(Figure(metric_id, c.rate()));
        }
      }
    }
  } else {
    out.note = "no victim service assessment of the force ends in the period";
  }
  f->done(std::move(out));
  delete f;
}

class VictimServiceAdapter final : public BackendAdapter {
 public:
  v1::Backend backend() const override { return v1::VICTIM_SERVICE; }

  void FetchForce(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& force, const Period& period,
      std::function<void(absl::StatusOr<ForceEvidence>)> done) override {
    auto* f = new ForceFetch(scope, vs::VictimService::NewStub(channel), period,
                             std::move(done));
    auto* join = new Join(2, [f] { Finish(f); });
    f->list_req.set_force(force);
    f->list_ctx = scope.NewContext();
    f->stub->async()->ListAssessments(
        f->list_ctx.get(), &f->list_req, &f->list_resp,
        [f, join](grpc::Status s) {
          if (!s.ok()) {
            f->checks_status = FromGrpc(s);
            join->Done();
            return;
          }
          const vs::Assessment* latest = nullptr;
          for (const auto& a : f->list_resp.assessments()) {
            if (!InPeriod(a.period().end_date(), f->period)) continue;
            if (latest == nullptr ||
                std::make_pair(a.period().end_date(), a.assessment_id()) >
                    std::make_pair(latest->period().end_date(),
                                   latest->assessment_id())) {
              latest = &a;
            }
          }
          if (latest == nullptr) {
            join->Done();
            return;
          }
          f->checks_req.set_assessment_id(latest->assessment_id());
          // The report's check figures are of the standard crime files.
          f->checks_req.set_file_type(vs::STANDARD_CRIME_FILE);
          f->checks_ctx = f->scope.NewContext();
          f->stub->async()->GetCheckSummary(f->checks_ctx.get(), &f->checks_req,
                                            &f->checks,
                                            [f, join](grpc::Status s2) {
                                              f->checks_status = FromGrpc(s2);
                                              f->has_checks = s2.ok();
                                              join->Done();
                                            });
        });
    f->calls_req.set_force(force);
    *f->calls_req.mutable_period() = WholeMonths(period);
    f->calls_ctx = scope.NewContext();
    f->stub->async()->GetCallHandlingSummary(f->calls_ctx.get(), &f->calls_req,
                                             &f->calls,
                                             [f, join](grpc::Status s) {
                                               f->calls_status = FromGrpc(s);
                                               join->Done();
                                             });
  }

  void FetchNational(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& metric, const Period& period,
      std::function<void(absl::StatusOr<NationalValues>)> done) override {
    const bool emergency = metric == metric::k999Within10s;
    if (!emergency && metric != metric::k101Abandoned) {
      done(absl::InvalidArgumentError(absl::StrCat(
          "victim-service has no national view of '", metric, "'")));
      return;
    }
    struct Call {
      std::unique_ptr<vs::VictimService::Stub> stub;
      std::unique_ptr<grpc::ClientContext> ctx;
      vs::GetNationalCallHandlingRequest req;
      vs::NationalCallHandling resp;
      std::function<void(absl::StatusOr<NationalValues>)> done;
    };
    auto* c = new Call{vs::VictimService::NewStub(channel),
                       scope.NewContext(),
                       {},
                       {},
                       std::move(done)};
    *c->req.mutable_period() = WholeMonths(period);
    c->stub->async()->GetNationalCallHandling(
        c->ctx.get(), &c->req, &c->resp, [c, emergency](grpc::Status s) {
          if (!s.ok()) {
            c->done(FromGrpc(s));
          } else {
            NationalValues out;
            for (const auto& f : c->resp.forces()) {
              const bool has = emergency ? f.has_emergency_within_10s()
                                         : f.has_non_emergency_abandonment();
              if (!has) continue;
              const Estimate& e = emergency ? f.emergency_within_10s()
                                            : f.non_emergency_abandonment();
              v1::ForceValue v;
              v.set_force(f.force());
              v.set_value(e.value());
              *v.mutable_estimate() = e;
              out.values.push_back(std::move(v));
            }
            c->done(std::move(out));
          }
          delete c;
        });
  }

  void FetchDataVersion(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      std::function<void(absl::StatusOr<peel::common::v1::DataVersion>)> done)
      override {
    struct Call {
      std::unique_ptr<vs::VictimService::Stub> stub;
      std::unique_ptr<grpc::ClientContext> ctx;
      peel::common::v1::DataVersionRequest req;
      peel::common::v1::DataVersion resp;
      std::function<void(absl::StatusOr<peel::common::v1::DataVersion>)> done;
    };
    auto* c = new Call{vs::VictimService::NewStub(channel),
                       scope.NewContext(),
                       {},
                       {},
                       std::move(done)};
    c->stub->async()->GetDataVersion(c->ctx.get(), &c->req, &c->resp,
                                     [c](grpc::Status s) {
                                       if (s.ok()) {
                                         c->done(std::move(c->resp));
                                       } else {
                                         c->done(FromGrpc(s));
                                       }
                                       delete c;
                                     });
  }
};

}  // namespace

std::unique_ptr<BackendAdapter> MakeVictimServiceAdapter() {
  return std::make_unique<VictimServiceAdapter>();
}

}  // namespace peel::gateway
