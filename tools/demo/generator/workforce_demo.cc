// Workforce demo: the Metropolitan Police person records, wellbeing events,
// uplift target and population reference exactly as the workforce tests
// load them (services/workforce/tests/met_fixture.cc). Every other force
// gets a small synthetic workforce (a few hundred people) whose headline
// proportions are plausible: ethnic-minority share, officer leaver rate in
// the year to 30 June 2022 and uplift progress against a synthetic
// allocation. Person ids must be hex tokens, so synthetic people are marked
// by their force's synthetic uplift target and population reference
// ("synthetic demo figure") and their event ids ("synthetic-...").
#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"
#include "services/workforce/tests/met_fixture.h"
#include "tools/demo/generator/demo.h"

namespace peel::demo {
namespace {

namespace wf = ::peel::workforce::v1;
namespace fixture = ::peel::workforce::testing;

constexpr char kPeople[] = "workforce/people-synthetic.jsonl";

std::string Date(int year, int month, int day) {
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

void WriteSyntheticForce(const reference::Force& force, uint64_t salt,
                         std::mt19937_64& rng, DemoWriter* out) {
  const std::string slug(force.slug);
  // Scale: about 20 officers per 100,000 people, at least 150.
  const int baseline =
      std::max<int>(150, static_cast<int>(force.population_mid2020 / 5000));
  const int staff = baseline / 2;
  std::normal_distribution<double> leave(0.06, 0.012), prog(0.95, 0.08);
  std::lognormal_distribution<double> minority(std::log(0.06), 0.5);
  const double leaver_rate = std::clamp(leave(rng), 0.025, 0.11);
  const double progress = std::clamp(prog(rng), 0.7, 1.2);
  const double em = std::clamp(minority(rng), 0.01, 0.3);
  const int allocation = std::max(10, baseline / 5);
  const int leavers = static_cast<int>(std::lround(baseline * leaver_rate));
  const int joiners =
      leavers + static_cast<int>(std::lround(allocation * progress));
  std::bernoulli_distribution is_minority(em), not_stated(0.03);
  std::uniform_int_distribution<int> day(1, 28), month(1, 12);

  uint64_t n = 0;
  auto person = [&](wf::WorkerType type) {
    wf::PersonRecord r;
    r.set_force(slug);
    r.set_person_id(fixture::PersonId(salt, n++));
    r.set_worker_type(type);
    r.set_rank(type == wf::POLICE_OFFICER ? wf::CONSTABLE : wf::NO_RANK);
    r.set_sex(n % 3 == 0 ? wf::FEMALE : wf::MALE);
    r.set_ethnic_group(not_stated(rng)    ? wf::ETHNICITY_NOT_STATED
                       : is_minority(rng) ? (n % 2 ? wf::ASIAN : wf::BLACK)
                                          : wf::WHITE);
    r.set_fte(1);
    return r;
  };
  // Baseline officers in post on 2019-03-31; the first `leavers` of them
  // leave between July 2021 and May 2022 (the year to 30 June 2022).
  for (int i = 0; i < baseline; ++i) {
    wf::PersonRecord r = person(wf::POLICE_OFFICER);
    r.set_date_joined(Date(2000 + i % 18, month(rng), day(rng)));
    if (i < leavers) {
      const int m = 7 + i % 11;  // July 2021 .. May 2022
      r.set_date_left(
          Date(m > 12 ? 2022 : 2021, m > 12 ? m - 12 : m, day(rng)));
      r.set_leaver_type(i % 4 == 0 ? wf::RETIREMENT
                                   : wf::VOLUNTARY_RESIGNATION);
    }
    out->Add("people", kPeople, r);
  }
  // Uplift-funded joiners, April 2019 to March 2022.
  for (int i = 0; i < joiners; ++i) {
    wf::PersonRecord r = person(wf::POLICE_OFFICER);
    const int m = i % 36;  // months from April 2019
    r.set_date_joined(Date(2019 + (m + 3) / 12, (m + 3) % 12 + 1, day(rng)));
    r.set_uplift_funded(true);
    out->Add("people", kPeople, r);
  }
  for (int i = 0; i < staff; ++i) {
    wf::PersonRecord r = person(wf::POLICE_STAFF);
    r.set_date_joined(Date(2005 + i % 15, month(rng), day(rng)));
    out->Add("people", kPeople, r);
  }

  // A few occupational-health referrals in the first half of 2022.
  std::uniform_int_distribution<int> wait(3, 20);
  for (int i = 0; i < 8; ++i) {
    wf::WellbeingEvent e;
    e.set_force(slug);
    e.set_event_id(absl::StrFormat("synthetic-oh-%02d", i));
    e.set_person_id(
        fixture::PersonId(salt, static_cast<uint64_t>(leavers + i)));
    const int m = 1 + i % 5;
    const int d = day(rng);
    e.mutable_occupational_health()->set_referred_on(Date(2022, m, d));
    const int w = d + wait(rng);
    e.mutable_occupational_health()->set_appointment_on(
        w > 28 ? Date(2022, m + 1, w - 28) : Date(2022, m, w));
    out->Add("wellbeing-events", "workforce/wellbeing-events-synthetic.jsonl",
             e);
  }

  wf::UpliftTarget t;
  t.set_force(slug);
  t.set_baseline_date("2019-03-31");
  t.set_baseline_officers(baseline);
  auto* a = t.add_allocations();
  a->set_by_date("2021-03-31");
  a->set_additional_officers(allocation / 2);
  a = t.add_allocations();
  a->set_by_date("2022-03-31");
  a->set_additional_officers(allocation);
  t.mutable_final_target()->set_by_date("2023-03-31");
  t.mutable_final_target()->set_additional_officers(allocation * 3 / 2);
  t.set_source("synthetic demo figure");
  out->Add("uplift-targets", "workforce/uplift-targets.jsonl", t);

  wf::PopulationReference p;
  p.set_force(slug);
  p.set_ethnic_minority_share(std::min(0.6, em * 1.8));
  p.set_source("synthetic demo figure");
  out->Add("population", "workforce/population.jsonl", p);
}

}  // namespace

void WriteWorkforce(std::mt19937_64& rng, DemoWriter* out) {
  for (const auto& r : fixture::MetPeople()) {
    out->Add("people", "workforce/people-metropolitan.jsonl", r);
  }
  for (const auto& e : fixture::MetWellbeingEvents()) {
    out->Add("wellbeing-events",
             "workforce/wellbeing-events-metropolitan.jsonl", e);
  }
  out->Add("uplift-targets", "workforce/uplift-targets.jsonl",
           fixture::MetUpliftTarget());
  out->Add("population", "workforce/population.jsonl",
           fixture::MetPopulation());
  uint64_t salt = 1000;
  for (const auto& force : reference::AllForces()) {
    if (!force.in_peel_scope || force.slug == "metropolitan") continue;
    WriteSyntheticForce(force, salt++, rng, out);
  }
}

}  // namespace peel::demo
