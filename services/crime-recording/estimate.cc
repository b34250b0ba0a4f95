#include "services/crime-recording/estimate.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/stats/estimates.h"
#include "common/stats/intervals.h"

namespace peel::crimerecording {

using peel::common::v1::Estimate;
using stats::kZ95;

namespace {

void SetProvenance(const v1::Audit& audit, absl::string_view method,
                   Estimate* e) {
  auto* p = e->mutable_provenance();
  p->set_service(kServiceName);
  p->set_dataset(absl::StrCat("audit:", audit.audit_id()));
  p->set_force(audit.force());
  *p->mutable_period() = audit.period();
  p->set_method(std::string(method));
}

const v1::EarlierRate* EarlierFor(const v1::Audit& audit, int stratum) {
  for (const auto& e : audit.earlier()) {
    if (e.stratum() == stratum) return &e;
  }
  return nullptr;
}

}  // namespace

v1::Change CompareWithEarlier(double p, double se,
                              const v1::EarlierRate* earlier) {
  v1::Change change;
  if (earlier == nullptr) {
    change.set_wording(v1::NO_EARLIER_INSPECTION);
    return change;
  }
  const double se0 = earlier->half_width() / kZ95;
  change.set_earlier_rate(earlier->rate());
  change.set_earlier_half_width(earlier->half_width());
  change.set_earlier_label(earlier->label());
  change.set_difference(p - earlier->rate());
  change.set_threshold(kZ95 * std::sqrt(se * se + se0 * se0));
  if (std::fabs(change.difference()) <= change.threshold()) {
    change.set_wording(v1::BROADLY_UNCHANGED);
  } else {
    change.set_wording(change.difference() > 0 ? v1::IMPROVED
                                               : v1::DETERIORATED);
  }
  return change;
}

v1::RecordingEstimate ComputeRecordingEstimate(
    const v1::Audit& audit, const v1::storage::AuditTally& tally) {
  v1::RecordingEstimate out;
  *out.mutable_audit() = audit;

  std::vector<stats::Stratum> strata;
  int64_t r_all = 0, n_all = 0, classified = 0, within = 0, incidents = 0;
  v1::storage::Tally flags[4];
  // Strata in the audit's order; a stratum without incidents shows n = 0.
  for (const auto& sw : audit.strata()) {
    v1::storage::StratumTally t;
    for (const auto& candidate : tally.strata()) {
      if (candidate.stratum() == sw.stratum()) t = candidate;
    }
    const int64_t r = t.all().recorded(), n = t.all().crimes();
    strata.push_back({r, n, sw.weight()});
    r_all += r;
    n_all += n;
    classified += t.correctly_classified();
    within += t.within_24h();
    incidents += t.incidents();
    const v1::storage::Tally* per_flag[4] = {
        &t.domestic_abuse(), &t.behavioural(), &t.vulnerable_victim(),
        &t.rape_or_n100()};
    for (int f = 0; f < 4; ++f) {
      flags[f].set_crimes(flags[f].crimes() + per_flag[f]->crimes());
      flags[f].set_recorded(flags[f].recorded() + per_flag[f]->recorded());
    }

    auto* se = out.add_strata();
    se->set_stratum(sw.stratum());
    se->set_weight(sw.weight());
    *se->mutable_rate() = stats::WaldEstimate(r, n);
    SetProvenance(audit, "recorded / should have been recorded, Wald 95%",
                  se->mutable_rate());
    *se->mutable_wilson() = stats::WilsonEstimate(r, n);
    SetProvenance(audit, "recorded / should have been recorded, Wilson 95%",
                  se->mutable_wilson());
    *se->mutable_change() =
        CompareWithEarlier(se->rate().value(), stats::Wald(r, n).se,
                           EarlierFor(audit, sw.stratum()));
  }
  out.set_incidents(incidents);

  const stats::Proportion stratified = stats::StratifiedWald(strata);
  *out.mutable_stratified() = stats::FromProportion(
      stratified, peel::common::v1::INTERVAL_METHOD_STRATIFIED_WALD, r_all,
      n_all);
  SetProvenance(audit, "stratified: sum of stratum weight x stratum rate",
                out.mutable_stratified());
  *out.mutable_pooled() = stats::WaldEstimate(r_all, n_all);
  SetProvenance(audit, "pooled: all recorded / all should have been recorded",
                out.mutable_pooled());
  *out.mutable_pooled_wilson() = stats::WilsonEstimate(r_all, n_all);
  SetProvenance(audit, "pooled, Wilson 95%", out.mutable_pooled_wilson());

  const bool pooled = audit.overall_method() == v1::POOLED;
  out.set_headline_method(pooled ? v1::POOLED : v1::STRATIFIED);
  *out.mutable_headline() = pooled ? out.pooled() : out.stratified();
  const double p = out.headline().value();
  const double se = pooled ? stats::Wald(r_all, n_all).se : stratified.se;

  const double base = static_cast<double>(audit.recorded_crime_base());
  if (p > 0) {
    out.set_unrecorded(stats::RoundToNearest(base * (1 - p) / p, 100));
  }
  const v1::EarlierRate* earlier = EarlierFor(audit, 0);
  if (earlier != nullptr && p > 0) {
    out.set_additionally_recorded(
        stats::RoundToNearest(base * (p - earlier->rate()) / p, 100));
    out.set_additionally_recorded_known(true);
  }
  *out.mutable_change() = CompareWithEarlier(p, se, earlier);

  *out.mutable_recorded_within_24h() = stats::WilsonEstimate(within, r_all);
  SetProvenance(audit, "recorded within 24 hours / recorded, Wilson 95%",
                out.mutable_recorded_within_24h());
  *out.mutable_correctly_classified() =
      stats::WilsonEstimate(classified, r_all);
  SetProvenance(audit, "correctly classified / recorded, Wilson 95%",
                out.mutable_correctly_classified());

  const v1::CrimeFlag flag_names[4] = {v1::DOMESTIC_ABUSE, v1::BEHAVIOURAL,
                                       v1::VULNERABLE_VICTIM, v1::RAPE_OR_N100};
  for (int f = 0; f < 4; ++f) {
    auto* fe = out.add_flags();
    fe->set_flag(flag_names[f]);
    *fe->mutable_rate() =
        stats::WilsonEstimate(flags[f].recorded(), flags[f].crimes());
    SetProvenance(
        audit,
        absl::StrCat("recorded / should have been recorded, ",
                     v1::CrimeFlag_Name(flag_names[f]), " crimes, Wilson 95%"),
        fe->mutable_rate());
  }
  return out;
}

v1::CancellationCompliance ComputeCancellationCompliance(
    const v1::Audit& audit, const v1::storage::CancellationTally& tally) {
  v1::CancellationCompliance out;
  out.set_audit_id(audit.audit_id());
  int64_t reviews = 0, correct = 0, evidence = 0;
  for (const auto& t : tally.reasons()) {
    reviews += t.reviews();
    correct += t.correct();
    evidence += t.evidence_present();
    auto* r = out.add_by_reason();
    r->set_reason(static_cast<v1::CancellationReason>(t.reason()));
    *r->mutable_compliance() = stats::WilsonEstimate(t.correct(), t.reviews());
    SetProvenance(audit, "correct cancellation decisions / reviewed",
                  r->mutable_compliance());
  }
  *out.mutable_compliance() = stats::WilsonEstimate(correct, reviews);
  SetProvenance(audit, "correct cancellation decisions / reviewed, Wilson 95%",
                out.mutable_compliance());
  *out.mutable_evidence_present() = stats::WilsonEstimate(evidence, reviews);
  SetProvenance(audit, "reviews with the evidence present / reviewed",
                out.mutable_evidence_present());
  return out;
}

}  // namespace peel::crimerecording
