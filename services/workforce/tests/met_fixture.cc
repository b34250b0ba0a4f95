#include "services/workforce/tests/met_fixture.h"

#include "absl/strings/str_format.h"
#include "common/util/dates.h"

namespace peel::workforce::testing {
namespace {

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

int32_t D(const char* iso) { return *dates::ParseIsoDate(iso); }
std::string Iso(int32_t day) { return dates::FormatIsoDate(day); }

constexpr char kForce[] = "metropolitan";

struct Period {
  int32_t first;
  int32_t last;
};
const Period kPeriods[4] = {{D("2019-04-01"), D("2020-03-31")},
                            {D("2020-04-01"), D("2021-03-31")},
                            {D("2021-04-01"), D("2021-12-31")},
                            {D("2022-01-01"), D("2022-03-31")}};

int32_t Spread(const Period& p, int64_t j) {
  return p.first + static_cast<int32_t>(j % (p.last - p.first + 1));
}

struct Person {
  v1::PersonRecord base;
  int32_t joined;
  int32_t left;  // 0: in post
};

const v1::LeaverType kLeaverTypes[20] = {v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::RETIREMENT,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::VOLUNTARY_RESIGNATION,
                                         v1::MEDICAL_RETIREMENT,
                                         v1::TRANSFER_OUT,
                                         v1::DISMISSAL_OR_REQUIRED_TO_RESIGN,
                                         v1::DEATH};

const v1::EthnicGroup kMinority[4] = {v1::ASIAN, v1::BLACK, v1::MIXED,
                                      v1::OTHER_ETHNIC_GROUP};

Person Make(uint64_t n, v1::WorkerType type, v1::Rank rank, int32_t joined) {
  Person p;
  p.base.set_force(kForce);
  p.base.set_person_id(PersonId(1, n));
  p.base.set_worker_type(type);
  p.base.set_rank(rank);
  p.base.set_fte(n % 10 == 0 ? 0.6 : 1.0);
  p.base.set_date_joined(Iso(joined));
  p.base.set_sex(v1::MALE);
  p.base.set_ethnic_group(v1::WHITE);
  p.joined = joined;
  p.left = 0;
  return p;
}

// Officers of the baseline pool are high-risk when their index is in this
// set (none of them leaves).
bool HighRisk(int64_t k) { return k >= 10000 && k < 30000 && k % 200 == 3; }

std::vector<Person> Generate() {
  const MetDesign& m = kMet;
  std::vector<Person> people;
  uint64_t n = 0;
  // Baseline officers, joined 1985..2018; the first ones are the leavers.
  for (int64_t k = 0; k < m.baseline_officers; ++k) {
    const int year = 1985 + static_cast<int>(k % 34);
    v1::Rank rank = v1::CONSTABLE;
    if (k % 20 >= 14) rank = v1::SERGEANT;
    if (k % 20 == 17) rank = v1::INSPECTOR;
    if (k % 20 == 18) rank = v1::CHIEF_INSPECTOR;
    if (k % 20 == 19)
      rank = (k / 20) % 5 == 0 ? v1::SUPERINTENDENT : v1::CHIEF_SUPERINTENDENT;
    if (k == 19) rank = v1::CHIEF_OFFICER;
    Person p =
        Make(n++, v1::POLICE_OFFICER, rank, dates::DaysFromCivil(year, 9, 1));
    p.base.set_high_risk_role(HighRisk(k));
    p.base.set_detective_accredited(k % 7 == 0);
    int64_t first = 0;
    for (int i = 0; i < 4; ++i) {
      if (k >= first && k < first + m.leavers[i]) {
        p.left = Spread(kPeriods[i], (k - first) * 3);
        p.base.set_leaver_type(kLeaverTypes[k % 20]);
      }
      first += m.leavers[i];
    }
    people.push_back(std::move(p));
  }
  // Uplift-funded joiners.
  for (int i = 0; i < 4; ++i) {
    for (int64_t j = 0; j < m.joiners[i]; ++j) {
      Person p = Make(n++, v1::POLICE_OFFICER, v1::CONSTABLE,
                      Spread(kPeriods[i], j * 7));
      p.base.set_uplift_funded(true);
      people.push_back(std::move(p));
    }
  }
  struct Group {
    v1::WorkerType type;
    int64_t count;
  };
  for (Group g : {Group{v1::POLICE_STAFF, m.staff}, Group{v1::PCSO, m.pcsos},
                  Group{v1::DESIGNATED_OFFICER, m.designated},
                  Group{v1::SPECIAL_CONSTABLE, m.specials}}) {
    for (int64_t k = 0; k < g.count; ++k) {
      const v1::Rank rank =
          g.type == v1::SPECIAL_CONSTABLE ? v1::CONSTABLE : v1::NO_RANK;
      Person p =
          Make(n++, g.type, rank,
               dates::DaysFromCivil(1995 + static_cast<int>(k % 24), 4, 1));
      if (g.type == v1::POLICE_STAFF) p.base.set_grade("band-d");
      people.push_back(std::move(p));
    }
  }
  // Ethnicity and sex: exact counts among the workforce in post on
  // 2021-03-31, spread by a permutation of its members.
  const int32_t ref_day = D("2021-03-31");
  std::vector<Person*> ref;
  for (Person& p : people) {
    const bool in_post =
        p.joined <= ref_day && (p.left == 0 || p.left > ref_day);
    if (in_post && p.base.worker_type() != v1::SPECIAL_CONSTABLE) {
      ref.push_back(&p);
    } else if (p.base.person_id().back() < '3') {
      p.base.set_ethnic_group(v1::BLACK);
    }
  }
  const int64_t size = static_cast<int64_t>(ref.size());
  for (int64_t r = 0; r < size; ++r) {
    const int64_t e = (r * 7919) % size;
    if (e < m.ethnic_minority_2021) {
      ref[r]->base.set_ethnic_group(kMinority[e % 4]);
    } else if (e < m.ethnic_minority_2021 + m.not_stated_2021) {
      ref[r]->base.set_ethnic_group(v1::ETHNICITY_NOT_STATED);
    }
    if ((r * 104729) % size < m.female_2021) {
      ref[r]->base.set_sex(v1::FEMALE);
    }
  }
  return people;
}

}  // namespace

std::string PersonId(uint64_t salt, uint64_t n) {
  return absl::StrFormat("%016x%016x", Mix(salt * 1000003 + n),
                         Mix(n ^ (salt << 40)));
}

std::vector<v1::PersonRecord> MetPeople() {
  std::vector<v1::PersonRecord> out;
  const std::vector<Person> people = Generate();
  int64_t promoted = 0;
  for (const Person& p : people) {
    v1::PersonRecord r = p.base;
    if (p.left != 0) r.set_date_left(Iso(p.left));
    // A constable promoted to sergeant: the first version as joined, the
    // second from the promotion.
    const bool promote = promoted < kMet.promoted && p.left == 0 &&
                         r.worker_type() == v1::POLICE_OFFICER &&
                         r.rank() == v1::CONSTABLE && !r.uplift_funded() &&
                         r.person_id()[0] == 'a';
    if (promote) {
      ++promoted;
      out.push_back(r);
      r.set_effective_date("2020-06-01");
      r.set_rank(v1::SERGEANT);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<v1::WellbeingEvent> MetWellbeingEvents() {
  std::vector<v1::WellbeingEvent> out;
  uint64_t id = 0;
  auto oh = [&](int32_t referred, int32_t appointment) {
    v1::WellbeingEvent e;
    e.set_force(kForce);
    e.set_event_id(absl::StrFormat("oh-%06d", id));
    e.set_person_id(PersonId(2, id++));
    e.mutable_occupational_health()->set_referred_on(Iso(referred));
    e.mutable_occupational_health()->set_appointment_on(Iso(appointment));
    out.push_back(std::move(e));
  };
  // January to March: waits of mean − 3, mean, mean + 3 days in turn.
  struct Quarter {
    int year;
    int mean;
    int appointments;
  };
  for (Quarter q : {Quarter{2020, 7, 300}, Quarter{2021, 11, 420},
                    Quarter{2022, 12, 510}}) {
    const int32_t first = dates::DaysFromCivil(q.year, 1, 1);
    const int32_t days = dates::DaysFromCivil(q.year, 4, 1) - first;
    for (int i = 0; i < q.appointments; ++i) {
      const int wait = q.mean + (i % 3 - 1) * 3;
      const int32_t appointment = first + i % days;
      oh(appointment - wait, appointment);
    }
  }
  // Other quarters: a steady 9 days.
  for (int32_t day = D("2019-04-01"); day < D("2022-04-01"); day += 3) {
    int y;
    unsigned m, dd;
    dates::CivilFromDays(day, &y, &m, &dd);
    if (m <= 3 && y >= 2020) continue;
    oh(day - 9, day);
  }
  // Screening of the high-risk officers.
  const std::vector<Person> people = Generate();
  int64_t h = 0;
  for (const Person& p : people) {
    if (!p.base.high_risk_role()) continue;
    std::vector<const char*> days = {"2020-08-01"};
    if (h >= kMet.overdue_18) days.push_back("2021-02-01");
    if (h >= kMet.overdue_18 && h < kMet.overdue) days.push_back("2021-06-15");
    if (h >= kMet.overdue) {
      days.push_back("2021-08-01");
      days.push_back("2022-01-15");
    }
    for (const char* d : days) {
      v1::WellbeingEvent e;
      e.set_force(kForce);
      e.set_event_id(absl::StrFormat("screen-%06d", id++));
      e.set_person_id(p.base.person_id());
      e.mutable_screening()->set_done_on(d);
      out.push_back(std::move(e));
    }
    ++h;
  }
  return out;
}

v1::UpliftTarget MetUpliftTarget() {
  v1::UpliftTarget t;
  t.set_force(kForce);
  t.set_baseline_date("2019-03-31");
  t.set_baseline_officers(kMet.baseline_officers);
  auto* a = t.add_allocations();
  a->set_by_date("2021-03-31");
  a->set_additional_officers(1369);
  a = t.add_allocations();
  a->set_by_date("2022-03-31");
  a->set_additional_officers(kMet.allocation_2022);
  t.mutable_final_target()->set_by_date("2023-03-31");
  t.mutable_final_target()->set_additional_officers(4557);
  t.set_source("Police Uplift Programme allocation (fixture)");
  return t;
}

v1::PopulationReference MetPopulation() {
  v1::PopulationReference p;
  p.set_force(kForce);
  p.set_ethnic_minority_share(0.402);
  p.set_source("2011 Census, London");
  return p;
}

std::vector<v1::PersonRecord> SmallForce(const std::string& force, int count,
                                         int minority) {
  std::vector<v1::PersonRecord> out;
  for (int i = 0; i < count; ++i) {
    v1::PersonRecord r;
    r.set_force(force);
    r.set_person_id(PersonId(3 + std::hash<std::string>()(force) % 100000,
                             static_cast<uint64_t>(i)));
    r.set_worker_type(v1::POLICE_STAFF);
    r.set_rank(v1::NO_RANK);
    r.set_sex(i % 2 == 0 ? v1::FEMALE : v1::MALE);
    r.set_ethnic_group(i < minority ? v1::ASIAN : v1::WHITE);
    r.set_fte(1);
    r.set_date_joined("2010-01-01");
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<v1::PersonRecordBatch> PersonBatches(
    const std::vector<v1::PersonRecord>& records, int size) {
  std::vector<v1::PersonRecordBatch> out;
  for (size_t i = 0; i < records.size(); i += static_cast<size_t>(size)) {
    v1::PersonRecordBatch b;
    b.set_sequence(out.size() + 1);
    for (size_t j = i; j < records.size() && j < i + size; ++j) {
      *b.add_records() = records[j];
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<v1::WellbeingEventBatch> EventBatches(
    const std::vector<v1::WellbeingEvent>& events, int size) {
  std::vector<v1::WellbeingEventBatch> out;
  for (size_t i = 0; i < events.size(); i += static_cast<size_t>(size)) {
    v1::WellbeingEventBatch b;
    b.set_sequence(out.size() + 1);
    for (size_t j = i; j < events.size() && j < i + size; ++j) {
      *b.add_events() = events[j];
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace peel::workforce::testing
