#include "services/workforce/profile.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/reference/forces.h"
#include "common/stats/national_comparison.h"
#include "common/util/dates.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/workforce/validate.h"

namespace peel::workforce {

using peel::common::v1::Estimate;

namespace {

constexpr int kMaxWaitQuarters = 40;

// A share of a census of records: exact counts, no sampling interval.
Estimate Share(int64_t numerator, int64_t denominator) {
  Estimate e;
  e.set_value(denominator > 0 ? static_cast<double>(numerator) /
                                    static_cast<double>(denominator)
                              : 0);
  e.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  e.mutable_ratio()->set_numerator(numerator);
  e.mutable_ratio()->set_denominator(denominator);
  e.set_sample_size(denominator);
  return e;
}

int64_t Get(const CounterSums& sums, uint32_t cell) {
  auto it = sums.find(cell);
  return it == sums.end() ? 0 : it->second.count;
}

bool InWorkforce(int type) { return type != v1::SPECIAL_CONSTABLE; }

// Sums the figures over the worker types `types` (one type, or the
// workforce).
v1::WorkforceFigures Figures(const ProfileInputs& in,
                             const std::vector<int>& types) {
  v1::WorkforceFigures f;
  if (types.size() == 1) {
    f.set_worker_type(static_cast<v1::WorkerType>(types[0]));
  }
  auto want = [&](int type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  int64_t headcount = 0, fte_e4 = 0, start = 0, female = 0, joiners = 0,
          leavers = 0, under2 = 0, under5 = 0;
  int64_t ethnic[v1::EthnicGroup_ARRAYSIZE] = {};
  int64_t by_leaver[v1::LeaverType_ARRAYSIZE] = {};
  for (const auto& [cell, s] : in.at_end) {
    const int type = CellA(cell);
    if (!want(type)) continue;
    switch (CellSeries(cell)) {
      case Series::kHeadRank:
        headcount += s.count;
        fte_e4 += s.fte_e4;
        break;
      case Series::kHeadSex:
        if (CellB(cell) == v1::FEMALE) female += s.count;
        break;
      case Series::kHeadEthnic:
        if (CellB(cell) < v1::EthnicGroup_ARRAYSIZE) {
          ethnic[CellB(cell)] += s.count;
        }
        break;
      case Series::kJoin:
        joiners += s.count;
        break;
      case Series::kLeave:
        leavers += s.count;
        if (CellB(cell) < v1::LeaverType_ARRAYSIZE) {
          by_leaver[CellB(cell)] += s.count;
        }
        break;
      case Series::kUnder2Years:
        under2 += s.count;
        break;
      case Series::kUnder5Years:
        under5 += s.count;
        break;
      case Series::kUplift:
        f.set_uplift_funded(f.uplift_funded() + s.count);
        break;
      case Series::kDetective:
        f.set_detective_accredited(f.detective_accredited() + s.count);
        break;
      case Series::kHighRisk:
        f.set_high_risk_roles(f.high_risk_roles() + s.count);
        break;
      default:
        break;
    }
  }
  for (const auto& [cell, s] : in.at_start) {
    if (!want(CellA(cell))) continue;
    switch (CellSeries(cell)) {
      case Series::kHeadRank:
        start += s.count;
        break;
      case Series::kJoin:
        joiners -= s.count;
        break;
      case Series::kLeave:
        leavers -= s.count;
        if (CellB(cell) < v1::LeaverType_ARRAYSIZE) {
          by_leaver[CellB(cell)] -= s.count;
        }
        break;
      default:
        break;
    }
  }
  f.set_headcount(headcount);
  f.set_fte(static_cast<double>(fte_e4) / 10000.0);
  int64_t stated = 0, minority = 0;
  for (int g = 1; g < v1::EthnicGroup_ARRAYSIZE; ++g) {
    if (!v1::EthnicGroup_IsValid(g)) continue;
    if (ethnic[g] != 0) {
      auto* c = f.add_by_ethnic_group();
      c->set_group(static_cast<v1::EthnicGroup>(g));
      c->set_headcount(ethnic[g]);
    }
    if (g == v1::ETHNICITY_NOT_STATED) continue;
    stated += ethnic[g];
    if (g != v1::WHITE) minority += ethnic[g];
  }
  *f.mutable_ethnic_minority_share() = Share(minority, stated);
  *f.mutable_female_share() = Share(female, headcount);
  f.set_headcount_at_start(start);
  f.set_joiners(joiners);
  f.set_leavers(leavers);
  Estimate rate;
  const double mean = (static_cast<double>(start) + headcount) / 2;
  rate.set_value(mean > 0 ? leavers / mean : 0);
  rate.set_method(peel::common::v1::INTERVAL_METHOD_NONE);
  // Numerator and denominator doubled so both stay whole: the rate is
  // 2·leavers / (start + end).
  rate.mutable_ratio()->set_numerator(2 * leavers);
  rate.mutable_ratio()->set_denominator(start + headcount);
  rate.set_sample_size(start + headcount);
  *f.mutable_leaver_rate() = rate;
  for (int t = 1; t < v1::LeaverType_ARRAYSIZE; ++t) {
    if (by_leaver[t] == 0) continue;
    auto* l = f.add_leavers_by_type();
    l->set_leaver_type(static_cast<v1::LeaverType>(t));
    l->set_leavers(by_leaver[t]);
  }
  if (types.size() == 1 && types[0] == v1::POLICE_OFFICER) {
    *f.mutable_under_2_years_service() = Share(under2, headcount);
    *f.mutable_under_5_years_service() = Share(under5, headcount);
  }
  return f;
}

std::string QuarterName(int32_t q) {
  return absl::StrCat(q / 4, "-Q", q % 4 + 1);
}

}  // namespace

v1::WorkforceProfile ComputeProfile(const ProfileInputs& in) {
  v1::WorkforceProfile p;
  p.set_force(in.force);
  p.set_as_of(dates::FormatIsoDate(in.as_of));

  std::vector<int> present, workforce;
  for (int t = 1; t < v1::WorkerType_ARRAYSIZE; ++t) {
    bool any = false;
    for (const auto* sums : {&in.at_end, &in.at_start}) {
      for (const auto& [cell, s] : *sums) {
        if (CellA(cell) == t && s.count != 0) any = true;
      }
    }
    if (any) present.push_back(t);
    if (InWorkforce(t)) workforce.push_back(t);
  }
  *p.mutable_workforce() = Figures(in, workforce);
  for (int t : present) *p.add_by_worker_type() = Figures(in, {t});

  std::map<std::pair<int, int>, Sum> ranks;
  for (const auto& [cell, s] : in.at_end) {
    if (CellSeries(cell) != Series::kHeadRank || s.count == 0) continue;
    Sum& r = ranks[{CellA(cell), CellB(cell)}];
    r.count += s.count;
    r.fte_e4 += s.fte_e4;
  }
  for (const auto& [k, s] : ranks) {
    auto* r = p.add_by_rank();
    r->set_worker_type(static_cast<v1::WorkerType>(k.first));
    r->set_rank(static_cast<v1::Rank>(k.second));
    r->set_headcount(s.count);
    r->set_fte(static_cast<double>(s.fte_e4) / 10000.0);
  }

  if (in.population.has_value()) {
    p.set_population_reference_set(true);
    *p.mutable_population() = *in.population;
    p.set_representation_gap_points(
        100.0 * (in.population->ethnic_minority_share() -
                 p.workforce().ethnic_minority_share().value()));
  }

  auto* up = p.mutable_uplift();
  const int officer = v1::POLICE_OFFICER;
  int64_t officers = 0;
  for (int r = 0; r < v1::Rank_ARRAYSIZE; ++r) {
    officers += Get(in.at_end, Cell(Series::kHeadRank, officer, r));
  }
  up->set_officers(officers);
  up->set_uplift_funded_in_post(Get(in.at_end, Cell(Series::kUplift, officer)));
  if (in.target.has_value()) {
    const v1::UpliftTarget& t = *in.target;
    up->set_target_set(true);
    up->set_baseline_officers(t.baseline_officers());
    up->set_baseline_date(t.baseline_date());
    up->set_increase(officers - t.baseline_officers());
    const v1::UpliftAllocation* due = &t.allocations(t.allocations_size() - 1);
    for (const auto& a : t.allocations()) {
      auto d = dates::ParseIsoDate(a.by_date());
      if (d.ok() && *d >= in.as_of) {
        due = &a;
        break;
      }
    }
    *up->mutable_allocation() = *due;
    *up->mutable_progress() = Share(up->increase(), due->additional_officers());
    if (t.has_final_target()) *up->mutable_final_target() = t.final_target();
  }

  auto wait = in.waits.begin();
  for (int32_t q = in.first_quarter; q <= in.last_quarter; ++q) {
    while (wait != in.waits.end() && wait->first < q) ++wait;
    auto* w = p.add_occupational_health_waits();
    w->set_quarter(QuarterName(q));
    const int32_t start =
        dates::DaysFromCivil(q / 4, static_cast<unsigned>(q % 4 * 3 + 1), 1);
    w->mutable_period()->set_start_date(dates::FormatIsoDate(start));
    w->mutable_period()->set_end_date(
        dates::FormatIsoDate(dates::AddMonths(start, 3) - 1));
    if (wait != in.waits.end() && wait->first == q) {
      w->set_appointments(wait->second.appointments());
      w->set_total_wait_days(wait->second.total_wait_days());
      if (w->appointments() > 0) {
        w->set_mean_wait_days(static_cast<double>(w->total_wait_days()) /
                              static_cast<double>(w->appointments()));
      }
    }
  }

  auto* sc = p.mutable_screening();
  int64_t high_risk = 0, covered6 = 0, covered18 = 0;
  for (const auto& [cell, s] : in.at_end) {
    switch (CellSeries(cell)) {
      case Series::kHighRisk:
        high_risk += s.count;
        break;
      case Series::kCovered6:
        covered6 += s.count;
        break;
      case Series::kCovered18:
        covered18 += s.count;
        break;
      default:
        break;
    }
  }
  sc->set_high_risk_in_post(high_risk);
  *sc->mutable_overdue() = Share(high_risk - covered6, high_risk);
  *sc->mutable_overdue_18_months() = Share(high_risk - covered18, high_risk);

  auto* prov = p.mutable_provenance();
  prov->set_service(kServiceName);
  prov->set_dataset(absl::StrCat("person-records:", in.force));
  prov->set_force(in.force);
  prov->mutable_period()->set_start_date(
      dates::FormatIsoDate(dates::AddMonths(in.as_of, -12) + 1));
  prov->mutable_period()->set_end_date(dates::FormatIsoDate(in.as_of));
  prov->set_method(
      "headcounts as at the period's end; joiners and leavers in the period; "
      "leaver rate = leavers / mean(headcount at start, at end); "
      "ethnic-minority share of those who stated their ethnicity");
  return p;
}

namespace {

absl::StatusOr<ProfileInputs> ReadInputs(const WorkforceStore& store,
                                         const std::string& force,
                                         int32_t as_of, int quarters) {
  ProfileInputs in;
  in.force = force;
  in.as_of = as_of;
  std::tie(in.at_end, in.at_start) =
      store.SumToBoth(force, as_of, dates::AddMonths(as_of, -12));
  ASSIGN_OR_RETURN(in.target, store.GetUpliftTarget(force));
  ASSIGN_OR_RETURN(in.population, store.GetPopulationReference(force));
  in.last_quarter = QuarterOf(as_of);
  in.first_quarter = in.last_quarter - quarters + 1;
  ASSIGN_OR_RETURN(in.waits,
                   store.Waits(force, in.first_quarter, in.last_quarter));
  return in;
}

}  // namespace

absl::StatusOr<v1::WorkforceProfile> BuildProfile(
    const WorkforceStore& store, const v1::GetWorkforceProfileRequest& req) {
  validation::FieldViolations v;
  validation::CheckForce("force", req.force(), &v);
  int32_t as_of = 0;
  CheckDate("as_of", req.as_of(), &v, &as_of);
  if (req.wait_quarters() < 0 || req.wait_quarters() > kMaxWaitQuarters) {
    v.Add("wait_quarters",
          absl::StrCat("must be 0 (default 12) to ", kMaxWaitQuarters));
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(
      ProfileInputs in,
      ReadInputs(store, req.force(), as_of,
                 req.wait_quarters() == 0 ? 12 : req.wait_quarters()));
  return ComputeProfile(in);
}

absl::StatusOr<v1::NationalWorkforce> BuildNationalView(
    const WorkforceStore& store, const v1::GetNationalWorkforceRequest& req) {
  validation::FieldViolations v;
  int32_t as_of = 0;
  CheckDate("as_of", req.as_of(), &v, &as_of);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(auto forces, store.ForcesWithPeople());
  std::sort(forces.begin(), forces.end());
  v1::NationalWorkforce out;
  out.set_as_of(req.as_of());
  double sum = 0;
  for (const auto& force : forces) {
    const reference::Force* f = reference::FindForce(force);
    if (f == nullptr || !f->in_peel_scope) continue;
    ASSIGN_OR_RETURN(ProfileInputs in, ReadInputs(store, force, as_of, 1));
    if (in.at_end.empty()) continue;
    const v1::WorkforceProfile p = ComputeProfile(in);
    if (p.workforce().headcount() == 0) continue;
    auto* h = out.add_forces();
    h->set_force(force);
    *h->mutable_ethnic_minority_share() = p.workforce().ethnic_minority_share();
    *h->mutable_female_share() = p.workforce().female_share();
    for (const auto& t : p.by_worker_type()) {
      if (t.worker_type() != v1::POLICE_OFFICER) continue;
      *h->mutable_officer_leaver_rate() = t.leaver_rate();
      *h->mutable_officers_under_2_years() = t.under_2_years_service();
    }
    if (p.uplift().target_set()) {
      *h->mutable_uplift_progress() = p.uplift().progress();
    }
    h->set_representation_gap_points(p.representation_gap_points());
    sum += p.workforce().ethnic_minority_share().value();
  }
  if (out.forces_size() > 0) {
    out.set_mean_ethnic_minority_share(sum / out.forces_size());
  }
  std::vector<stats::ForceValue> values;
  for (const auto& h : out.forces()) {
    values.push_back({h.force(), h.ethnic_minority_share().value()});
  }
  auto comparison =
      stats::CompareNationally(std::move(values), /*higher_is_better=*/true);
  if (comparison.ok()) {
    out.set_comparison_made(true);
    out.set_comparison_logged(comparison->space ==
                              stats::ComparisonSpace::kLog);
    out.set_comparison_lower(comparison->lower);
    out.set_comparison_upper(comparison->upper);
    for (int i = 0; i < out.forces_size(); ++i) {
      const auto& c = comparison->forces[static_cast<size_t>(i)];
      out.mutable_forces(i)->set_ethnic_minority_z(c.z);
      out.mutable_forces(i)->set_ethnic_minority_position(
          std::string(stats::PositionName(c.position)));
    }
  }
  return out;
}

}  // namespace peel::workforce
