// Adapter for peel.crimerecording.v1.CrimeRecordingService: the force's
// latest audit in the period (ListAudits, then GetRecordingEstimate) and the
// national recording rates.
#include <utility>

#include "absl/strings/str_cat.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/catalogue.h"

namespace peel::gateway {
namespace {

namespace cr = ::peel::crimerecording::v1;
using peel::common::v1::Estimate;

v1::KeyFigure Figure(absl::string_view metric, const Estimate& e) {
  v1::KeyFigure f;
  f.set_metric(std::string(metric));
  *f.mutable_estimate() = e;
  return f;
}

ForceEvidence FiguresOf(const cr::RecordingEstimate& e) {
  ForceEvidence out;
  out.figures.push_back(Figure(metric::kRecordingRate, e.headline()));
  for (const auto& s : e.strata()) {
    if (s.stratum() == cr::VIOLENCE) {
      out.figures.push_back(Figure(metric::kRecordingViolence, s.rate()));
    } else if (s.stratum() == cr::SEXUAL_OFFENCES) {
      out.figures.push_back(Figure(metric::kRecordingSexual, s.rate()));
    }
  }
  if (e.has_recorded_within_24h()) {
    out.figures.push_back(
        Figure(metric::kRecordingWithin24h, e.recorded_within_24h()));
  }
  for (const auto& f : e.flags()) {
    if (f.flag() == cr::VULNERABLE_VICTIM) {
      out.figures.push_back(Figure(metric::kRecordingVulnerable, f.rate()));
    }
  }
  Estimate unrecorded;
  unrecorded.set_value(static_cast<double>(e.unrecorded()));
  unrecorded.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  unrecorded.set_sample_size(e.headline().ratio().denominator());
  *unrecorded.mutable_provenance() = e.headline().provenance();
  unrecorded.mutable_provenance()->set_method(
      absl::StrCat("R(1-p)/p rounded to the nearest 100, R = ",
                   e.audit().recorded_crime_base(), " (",
                   e.audit().recorded_crime_base_source(), ")"));
  out.figures.push_back(Figure(metric::kRecordingUnrecorded, unrecorded));
  return out;
}

// Holds the contexts and messages of one force fetch until its last reply.
struct ForceFetch {
  ForceFetch(CallScope s, std::unique_ptr<cr::CrimeRecordingService::Stub> st,
             peel::common::v1::Period p,
             std::function<void(absl::StatusOr<ForceEvidence>)> d)
      : scope(s),
        stub(std::move(st)),
        period(std::move(p)),
        done(std::move(d)) {}
  CallScope scope;
  std::unique_ptr<cr::CrimeRecordingService::Stub> stub;
  peel::common::v1::Period period;
  std::function<void(absl::StatusOr<ForceEvidence>)> done;
  std::unique_ptr<grpc::ClientContext> list_ctx, estimate_ctx;
  cr::ListAuditsRequest list_req;
  cr::ListAuditsResponse list_resp;
  cr::GetRecordingEstimateRequest estimate_req;
  cr::RecordingEstimate estimate;
};

class CrimeRecordingAdapter final : public BackendAdapter {
 public:
  v1::Backend backend() const override { return v1::CRIME_RECORDING; }

  void FetchForce(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& force, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<ForceEvidence>)> done) override {
    auto* f = new ForceFetch(scope, cr::CrimeRecordingService::NewStub(channel),
                             period, std::move(done));
    f->list_req.set_force(force);
    f->list_ctx = scope.NewContext();
    f->stub->async()->ListAudits(
        f->list_ctx.get(), &f->list_req, &f->list_resp, [f](grpc::Status s) {
          if (!s.ok()) {
            f->done(FromGrpc(s));
            delete f;
            return;
          }
          // The latest audit whose period ends in the requested period.
          const cr::Audit* latest = nullptr;
          for (const auto& a : f->list_resp.audits()) {
            if (!InPeriod(a.period().end_date(), f->period)) continue;
            if (latest == nullptr ||
                std::make_pair(a.period().end_date(), a.audit_id()) >
                    std::make_pair(latest->period().end_date(),
                                   latest->audit_id())) {
              latest = &a;
            }
          }
          if (latest == nullptr) {
            ForceEvidence none;
            none.note =
                "no crime data integrity audit of the force ends in "
                "the period";
            f->done(std::move(none));
            delete f;
            return;
          }
          f->estimate_req.set_audit_id(latest->audit_id());
          f->estimate_ctx = f->scope.NewContext();
          f->stub->async()->GetRecordingEstimate(
              f->estimate_ctx.get(), &f->estimate_req, &f->estimate,
              [f](grpc::Status s2) {
                if (s2.ok()) {
                  f->done(FiguresOf(f->estimate));
                } else {
                  f->done(FromGrpc(s2));
                }
                delete f;
              });
        });
  }

  void FetchNational(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& metric, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<NationalValues>)> done) override {
    if (metric != metric::kRecordingRate) {
      done(absl::InvalidArgumentError(absl::StrCat(
          "crime-recording has no national view of '", metric, "'")));
      return;
    }
    struct Call {
      std::unique_ptr<cr::CrimeRecordingService::Stub> stub;
      std::unique_ptr<grpc::ClientContext> ctx;
      cr::GetNationalRecordingRatesRequest req;
      cr::NationalRecordingRates resp;
      std::function<void(absl::StatusOr<NationalValues>)> done;
    };
    auto* c = new Call{cr::CrimeRecordingService::NewStub(channel),
                       scope.NewContext(),
                       {},
                       {},
                       std::move(done)};
    *c->req.mutable_period() = period.start_date().empty() ? AllTime() : period;
    c->stub->async()->GetNationalRecordingRates(
        c->ctx.get(), &c->req, &c->resp, [c](grpc::Status s) {
          if (!s.ok()) {
            c->done(FromGrpc(s));
          } else {
            NationalValues out;
            for (const auto& f : c->resp.forces()) {
              v1::ForceValue v;
              v.set_force(f.force());
              v.set_value(f.rate().value());
              *v.mutable_estimate() = f.rate();
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
      std::unique_ptr<cr::CrimeRecordingService::Stub> stub;
      std::unique_ptr<grpc::ClientContext> ctx;
      peel::common::v1::DataVersionRequest req;
      peel::common::v1::DataVersion resp;
      std::function<void(absl::StatusOr<peel::common::v1::DataVersion>)> done;
    };
    auto* c = new Call{cr::CrimeRecordingService::NewStub(channel),
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

std::unique_ptr<BackendAdapter> MakeCrimeRecordingAdapter() {
  return std::make_unique<CrimeRecordingAdapter>();
}

}  // namespace peel::gateway
