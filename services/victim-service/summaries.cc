#include "services/victim-service/summaries.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/reference/forces.h"
#include "common/stats/estimates.h"
#include "common/stats/intervals.h"
#include "common/stats/national_comparison.h"
#include "common/util/dates.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/victim-service/validate.h"

namespace peel::victimservice {

using peel::common::v1::Estimate;
using peel::common::v1::Provenance;
using v1::storage::CallTally;

namespace {

int64_t At(const google::protobuf::RepeatedField<int64_t>& f, int i) {
  return i < f.size() ? f.Get(i) : 0;
}

Estimate Rate(int64_t r, int64_t n, const Provenance& provenance,
              absl::string_view method) {
  Estimate e = stats::WilsonEstimate(r, n);
  *e.mutable_provenance() = provenance;
  e.mutable_provenance()->set_method(std::string(method));
  return e;
}

int64_t HistogramSum(const CallTally& t, int from, int to) {
  int64_t n = 0;
  for (int i = from; i < to && i < t.answer_seconds_size(); ++i) {
    n += t.answer_seconds(i);
  }
  return n;
}

}  // namespace

v1::Wording WordingFor(double p) {
  const double pct = std::round(p * 100);
  if (pct >= 95) return v1::ALMOST_ALL;
  if (pct >= 75) return v1::MOST;
  if (pct >= 50) return v1::MORE_THAN_HALF;
  if (pct >= 25) return v1::LESS_THAN_HALF;
  return v1::ONLY;
}

v1::CheckSummary ComputeCheckSummary(const v1::Assessment& assessment,
                                     const std::vector<CheckTallyCell>& cells,
                                     v1::FileType file_type,
                                     v1::OffenceGroup offence_group) {
  v1::CheckSummary out;
  *out.mutable_assessment() = assessment;
  out.set_file_type(file_type);
  out.set_offence_group(offence_group);
  const int kChecks = v1::Check_MAX + 1;
  std::vector<int64_t> met(kChecks), not_met(kChecks), na(kChecks);
  for (const auto& cell : cells) {
    if (file_type != v1::FILE_TYPE_UNSPECIFIED && cell.file_type != file_type) {
      continue;
    }
    if (offence_group != v1::OFFENCE_GROUP_UNSPECIFIED &&
        cell.offence_group != offence_group) {
      continue;
    }
    out.set_case_reviews(out.case_reviews() + cell.tally.case_reviews());
    for (int c = 1; c < kChecks; ++c) {
      met[c] += At(cell.tally.met(), c);
      not_met[c] += At(cell.tally.not_met(), c);
      na[c] += At(cell.tally.not_applicable(), c);
    }
  }
  Provenance provenance;
  provenance.set_service(kServiceName);
  provenance.set_dataset(
      absl::StrCat("assessment:", assessment.assessment_id()));
  provenance.set_force(assessment.force());
  *provenance.mutable_period() = assessment.period();
  for (int c = 1; c < kChecks; ++c) {
    if (met[c] + not_met[c] + na[c] == 0) continue;
    auto* f = out.add_checks();
    f->set_check(static_cast<v1::Check>(c));
    f->set_met(met[c]);
    f->set_not_met(not_met[c]);
    f->set_not_applicable(na[c]);
    const int64_t applicable = met[c] + not_met[c];
    f->set_applicable(applicable);
    if (applicable == 0) continue;
    *f->mutable_rate() =
        Rate(met[c], applicable, provenance,
             "met of applicable case reviews; Wilson 95% interval");
    const double p = static_cast<double>(met[c]) / applicable;
    f->set_wording(WordingFor(p));
    f->set_wording_text(stats::ProportionWording(p));
    f->set_sentence(absl::StrCat(f->wording_text(), " (", met[c], " of ",
                                 applicable, " applicable cases)"));
  }
  return out;
}

double HistogramQuantileSeconds(const CallTally& t, double q) {
  if (t.answered() <= 0) return 0;
  const int64_t n = t.answered();
  int64_t k = static_cast<int64_t>(std::ceil(q * static_cast<double>(n)));
  k = std::clamp<int64_t>(k, 1, n);
  int64_t before = 0;
  for (int b = 0; b < t.answer_seconds_size(); ++b) {
    const int64_t count = t.answer_seconds(b);
    if (before + count >= k) {
      const double lo = BucketLowSeconds(b);
      const double hi = BucketHighSeconds(b, t.answer_ms_max() / 1000.0);
      const double within =
          (static_cast<double>(k - before) - 0.5) / static_cast<double>(count);
      return lo + (hi - lo) * within;
    }
    before += count;
  }
  return t.answer_ms_max() / 1000.0;  // histogram shorter than answered
}

void MergeCallTally(const CallTally& from, CallTally* into) {
  into->set_offered(into->offered() + from.offered());
  into->set_answered(into->answered() + from.answered());
  into->set_abandoned(into->abandoned() + from.abandoned());
  into->set_answer_ms_sum(into->answer_ms_sum() + from.answer_ms_sum());
  into->set_answer_ms_max(
      std::max(into->answer_ms_max(), from.answer_ms_max()));
  into->set_waited_ms_sum(into->waited_ms_sum() + from.waited_ms_sum());
  auto* hist = into->mutable_answer_seconds();
  if (hist->size() < from.answer_seconds_size()) {
    hist->Resize(from.answer_seconds_size(), 0);
  }
  int64_t* to = hist->mutable_data();
  const int64_t* add = from.answer_seconds().data();
  for (int i = 0; i < from.answer_seconds_size(); ++i) to[i] += add[i];
}

v1::AnswerTimes ComputeAnswerTimes(const CallTally& t) {
  v1::AnswerTimes a;
  a.set_answered(t.answered());
  if (t.answered() == 0) return a;
  a.set_mean_seconds(static_cast<double>(t.answer_ms_sum()) / 1000.0 /
                     static_cast<double>(t.answered()));
  a.set_percentiles_available(true);
  a.set_percentile_sample_size(t.answered());
  a.set_median_seconds(HistogramQuantileSeconds(t, 0.5));
  a.set_p90_seconds(HistogramQuantileSeconds(t, 0.9));
  a.set_p99_seconds(HistogramQuantileSeconds(t, 0.99));
  a.set_max_seconds(t.answer_ms_max() / 1000.0);
  // The widest bucket any reported percentile falls in.
  double error = 0;
  for (double q : {a.median_seconds(), a.p90_seconds(), a.p99_seconds()}) {
    const int b = HistogramBucket(static_cast<int64_t>(q * 1000));
    error = std::max(
        error, BucketHighSeconds(b, a.max_seconds()) - BucketLowSeconds(b));
  }
  a.set_percentile_error_seconds(error);
  return a;
}

v1::CallHandlingFigures ComputeCallFigures(
    const std::vector<const MonthInputs*>& months,
    const Provenance& provenance) {
  v1::CallHandlingFigures out;
  *out.mutable_period() = provenance.period();
  CallTally records_999, records_101;
  int64_t pub_calls = 0, pub_under_10 = 0, pub_10_60 = 0, pub_over_60 = 0;
  double pub_seconds = 0;
  bool any_records = false, any_published = false;
  for (const MonthInputs* m : months) {
    MergeCallTally(m->non_emergency, &records_101);
    if (m->emergency.offered() > 0) {
      MergeCallTally(m->emergency, &records_999);
      any_records = true;
    } else if (m->published != nullptr) {
      const auto& p = *m->published;
      pub_calls += p.calls();
      pub_under_10 += p.under_10s();
      pub_10_60 += p.from_10_to_60s();
      pub_over_60 += p.over_60s();
      pub_seconds += p.mean_answer_seconds() * static_cast<double>(p.calls());
      any_published = true;
    }
  }

  auto* e = out.mutable_emergency();
  e->set_source(any_records && any_published ? v1::MIXED
                : any_records                ? v1::CALL_RECORDS
                : any_published              ? v1::PUBLISHED_MONTHLY
                                             : v1::FIGURE_SOURCE_UNSPECIFIED);
  const int64_t answered = records_999.answered() + pub_calls;
  const int64_t under_10 = HistogramSum(records_999, 0, 10) + pub_under_10;
  const int64_t from_10_to_60 = HistogramSum(records_999, 10, 60) + pub_10_60;
  const int64_t over_60 =
      records_999.answered() - HistogramSum(records_999, 0, 60) + pub_over_60;
  e->set_answered(answered);
  e->set_abandoned(records_999.abandoned());
  if (answered > 0) {
    const char* kBand = "share of answered 999 calls; Wilson 95% interval";
    *e->mutable_within_10s() = Rate(
        under_10, answered, provenance,
        "999 calls answered in under 10 s of answered 999 calls (target 90%); "
        "Wilson 95% interval");
    e->set_target_met(e->within_10s().value() >= kEmergencyTarget);
    *e->mutable_band_under_10s() = Rate(under_10, answered, provenance, kBand);
    *e->mutable_band_10_to_60s() =
        Rate(from_10_to_60, answered, provenance, kBand);
    *e->mutable_band_60s_and_over() =
        Rate(over_60, answered, provenance, kBand);
    v1::AnswerTimes times = ComputeAnswerTimes(records_999);
    if (any_published) {
      // Published months carry a mean but no distribution.
      times.set_answered(answered);
      times.set_mean_seconds(
          (static_cast<double>(records_999.answer_ms_sum()) / 1000.0 +
           pub_seconds) /
          static_cast<double>(answered));
      times.set_percentiles_available(false);
    }
    *e->mutable_answer_times() = times;
  }

  auto* n = out.mutable_non_emergency();
  n->set_offered(records_101.offered());
  n->set_answered(records_101.answered());
  n->set_abandoned(records_101.abandoned());
  if (records_101.offered() > 0) {
    *n->mutable_abandonment() =
        Rate(records_101.abandoned(), records_101.offered(), provenance,
             "101 calls abandoned of 101 calls offered (target under 10%); "
             "Wilson 95% interval");
    n->set_target_met(n->abandonment().value() < kAbandonmentTarget);
    *n->mutable_answer_times() = ComputeAnswerTimes(records_101);
  }
  return out;
}

namespace {

// Month inputs pointing into `data`, which must outlive them.
std::vector<MonthInputs> MonthInputsOf(ForceCallMonths& data) {
  std::vector<MonthInputs> out(data.emergency.size());
  for (size_t m = 0; m < out.size(); ++m) {
    out[m].emergency = std::move(data.emergency[m]);
    out[m].non_emergency = std::move(data.non_emergency[m]);
    if (data.published[m].has_value()) out[m].published = &*data.published[m];
  }
  return out;
}

Provenance CallProvenance(absl::string_view force,
                          const peel::common::v1::Period& period) {
  Provenance p;
  p.set_service(kServiceName);
  p.set_dataset(absl::StrCat("calls:", force));
  p.set_force(std::string(force));
  *p.mutable_period() = period;
  return p;
}

peel::common::v1::Period MonthPeriod(int32_t month) {
  int32_t start = dates::DaysFromCivil(
      1970 + month / 12, static_cast<unsigned>(month % 12 + 1), 1);
  peel::common::v1::Period p;
  p.set_start_date(dates::FormatIsoDate(start));
  p.set_end_date(dates::FormatIsoDate(dates::AddMonths(start, 1) - 1));
  return p;
}

}  // namespace

absl::StatusOr<v1::CallHandlingSummary> ReadCallHandlingSummary(
    const VictimServiceStore& store,
    const v1::GetCallHandlingSummaryRequest& req) {
  int32_t first = 0, last = 0;
  {
    validation::FieldViolations v;
    validation::CheckForce("force", req.force(), &v);
    CheckWholeMonths("period", req.period(), kMaxSummaryMonths, &v, &first,
                     &last);
    RETURN_IF_ERROR(v.ToStatus());
  }
  ASSIGN_OR_RETURN(auto stored,
                   store.GetCallMonths({req.force()}, first, last));
  std::vector<MonthInputs> months = MonthInputsOf(stored[0]);
  v1::CallHandlingSummary out;
  out.set_force(req.force());
  *out.mutable_period() = req.period();
  out.set_emergency_target(kEmergencyTarget);
  out.set_abandonment_target(kAbandonmentTarget);
  std::vector<const MonthInputs*> all;
  for (int32_t m = first; m <= last; ++m) {
    const MonthInputs* in = &months[m - first];
    all.push_back(in);
    v1::CallHandlingFigures f =
        ComputeCallFigures({in}, CallProvenance(req.force(), MonthPeriod(m)));
    f.set_month(FormatMonth(m));
    *out.add_months() = std::move(f);
  }
  *out.mutable_overall() =
      ComputeCallFigures(all, CallProvenance(req.force(), req.period()));
  return out;
}

absl::StatusOr<v1::NationalCallHandling> ReadNationalCallHandling(
    const VictimServiceStore& store,
    const v1::GetNationalCallHandlingRequest& req) {
  int32_t first = 0, last = 0;
  {
    validation::FieldViolations v;
    CheckWholeMonths("period", req.period(), kMaxSummaryMonths, &v, &first,
                     &last);
    RETURN_IF_ERROR(v.ToStatus());
  }
  v1::NationalCallHandling out;
  *out.mutable_period() = req.period();
  std::vector<stats::ForceValue> emergency, abandonment;
  ASSIGN_OR_RETURN(std::vector<std::string> slugs, store.ForcesWithCallData());
  ASSIGN_OR_RETURN(auto stored, store.GetCallMonths(slugs, first, last));
  for (size_t i = 0; i < slugs.size(); ++i) {
    const reference::Force* found = reference::FindForce(slugs[i]);
    if (found == nullptr) continue;  // validated on ingest
    const reference::Force& force = *found;
    std::vector<MonthInputs> months = MonthInputsOf(stored[i]);
    std::vector<const MonthInputs*> all;
    for (const auto& m : months) all.push_back(&m);
    v1::CallHandlingFigures f =
        ComputeCallFigures(all, CallProvenance(force.slug, req.period()));
    const bool has_999 = f.emergency().has_within_10s();
    const bool has_101 = f.non_emergency().has_abandonment();
    if (!has_999 && !has_101) continue;
    auto* row = out.add_forces();
    row->set_force(std::string(force.slug));
    row->set_in_peel_scope(force.in_peel_scope);
    row->set_emergency_source(f.emergency().source());
    if (has_999) {
      *row->mutable_emergency_within_10s() = f.emergency().within_10s();
      if (force.in_peel_scope) {
        emergency.push_back({row->force(), f.emergency().within_10s().value()});
      }
    }
    if (has_101) {
      *row->mutable_non_emergency_abandonment() =
          f.non_emergency().abandonment();
      if (force.in_peel_scope) {
        abandonment.push_back(
            {row->force(), f.non_emergency().abandonment().value()});
      }
    }
  }
  // Lines and positions where the comparison is defined (≥3 forces, SD > 0).
  auto compare = [&](std::vector<stats::ForceValue> values,
                     bool higher_is_better, auto lines_of, auto set_row) {
    if (values.size() < 3) return;
    auto c = stats::CompareNationally(std::move(values), higher_is_better);
    if (!c.ok()) return;
    v1::NationalComparisonLines* lines = lines_of();
    lines->set_forces(static_cast<int32_t>(c->forces.size()));
    lines->set_log_space(c->space == stats::ComparisonSpace::kLog);
    lines->set_mean(c->mean_value);
    lines->set_lower(c->lower);
    lines->set_upper(c->upper);
    lines->set_higher_is_better(higher_is_better);
    for (const auto& fc : c->forces) {
      for (auto& row : *out.mutable_forces()) {
        if (row.force() == fc.force) {
          set_row(&row, fc.z, std::string(stats::PositionName(fc.position)));
        }
      }
    }
  };
  compare(
      std::move(emergency), true, [&] { return out.mutable_emergency_lines(); },
      [](v1::ForceCallHandling* r, double z, std::string pos) {
        r->set_emergency_z(z);
        r->set_emergency_position(std::move(pos));
      });
  compare(
      std::move(abandonment), false,
      [&] { return out.mutable_abandonment_lines(); },
      [](v1::ForceCallHandling* r, double z, std::string pos) {
        r->set_abandonment_z(z);
        r->set_abandonment_position(std::move(pos));
      });
  return out;
}

}  // namespace peel::victimservice
