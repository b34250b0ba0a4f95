#include "services/victim-service/tests/met_fixture.h"

#include <algorithm>
#include <random>
#include <string>

#include "absl/strings/str_format.h"

namespace peel::victimservice::testing {

namespace {

constexpr int kStandardFiles = 165;

const v1::OffenceGroup kGroups[] = {
    v1::VIOLENCE_AGAINST_THE_PERSON,
    v1::THEFT_OFFENCES,
    v1::CRIMINAL_DAMAGE_AND_ARSON,
    v1::DOMESTIC_ABUSE_RELATED,
    v1::STALKING_AND_HARASSMENT,
    v1::ROBBERY,
    v1::SEXUAL_OFFENCES,
};
const v1::ContactChannel kChannels[] = {
    v1::EMERGENCY_999, v1::NON_EMERGENCY_101, v1::ONLINE, v1::FRONT_COUNTER};

void SetCheck(v1::CaseReview* r, v1::Check check, v1::CheckOutcome outcome) {
  auto* c = r->add_checks();
  c->set_check(check);
  c->set_outcome(outcome);
}

v1::CheckOutcome OutcomeOf(const v1::CaseReview& r, v1::Check check) {
  for (const auto& c : r.checks()) {
    if (c.check() == check) return c.outcome();
  }
  return v1::CHECK_OUTCOME_UNSPECIFIED;
}

// Gives `check` to every file in `files`: `applicable` of them, starting at
// `offset` in the candidates' order, are applicable and the first `met` of
// those are met; the rest are not applicable.
void Assign(std::vector<v1::CaseReview*> files,
            const std::vector<v1::CaseReview*>& candidates, v1::Check check,
            int met, int applicable, int offset) {
  std::vector<v1::CheckOutcome> outcome(files.size(), v1::NOT_APPLICABLE);
  for (int t = 0; t < applicable; ++t) {
    v1::CaseReview* chosen =
        candidates[(offset + t) % static_cast<int>(candidates.size())];
    auto it = std::find(files.begin(), files.end(), chosen);
    outcome[it - files.begin()] = t < met ? v1::MET : v1::NOT_MET;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    SetCheck(files[i], check, outcome[i]);
  }
}

}  // namespace

const std::vector<PublishedCheck>& PublishedChecks() {
  static const auto* checks = new std::vector<PublishedCheck>{
      {v1::THRIVE_RISK_ASSESSMENT_DONE, 21, 107},
      {v1::RISK_ASSESSMENT_ACCURATE, 21, 21},
      {v1::VULNERABILITY_CHECKED, 54, 97},
      {v1::REPEAT_VICTIM_IDENTIFIED, 39, 96},
      {v1::REPEAT_VICTIM_RECORDED, 17, 27},
      {v1::EVIDENCE_PRESERVATION_ADVICE, 15, 35},
      {v1::CRIME_PREVENTION_ADVICE, 31, 43},
      {v1::ALLOCATED_PER_POLICY, 100, 105},
      {v1::ARREST_AT_EARLIEST_OPPORTUNITY, 24, 26},
  };
  return *checks;
}

const std::vector<PublishedCheck>& IllustrativeOutOfCourtChecks() {
  static const auto* checks = new std::vector<PublishedCheck>{
      {v1::OUT_OF_COURT_CRITERIA_MET, 12, 14},          // "most"
      {v1::VICTIM_VIEWS_RECORDED, 9, 14},               // "wasn't always"
      {v1::VICTIM_DECISION_RECORDED, 1, 6},             // "missing in most"
      {v1::EVIDENCE_LED_PROSECUTION_CONSIDERED, 3, 6},  // "didn't always"
  };
  return *checks;
}

v1::Assessment MetAssessment() {
  v1::Assessment a;
  a.set_assessment_id("metropolitan-2021-22-vsa");
  a.set_force("metropolitan");
  a.mutable_period()->set_start_date("2021-04-01");
  a.mutable_period()->set_end_date("2022-03-31");
  a.set_sample_description(
      "165 case files as well as 20 cautions, community resolutions and "
      "cases where a suspect was identified but the victim didn't support or "
      "withdrew support for police action");
  return a;
}

std::vector<v1::CaseReview> MetCaseReviews() {
  std::vector<v1::CaseReview> reviews(kStandardFiles + 20);
  for (int i = 0; i < static_cast<int>(reviews.size()); ++i) {
    auto& r = reviews[i];
    r.set_case_id(absl::StrFormat("vsa-%04d", i * 37 % 1000 + 1000 * (i % 3)));
    r.set_offence_group(kGroups[i % 7]);
    r.set_channel(kChannels[(i / 7) % 4]);
    if (i < kStandardFiles) {
      r.set_file_type(v1::STANDARD_CRIME_FILE);
    } else if (i < kStandardFiles + 8) {
      r.set_file_type(v1::CAUTION);
    } else if (i < kStandardFiles + 14) {
      r.set_file_type(v1::COMMUNITY_RESOLUTION);
    } else {
      r.set_file_type(v1::VICTIM_DOES_NOT_SUPPORT);
    }
  }
  std::vector<v1::CaseReview*> standard, out_of_court, withdrawn;
  for (int i = 0; i < static_cast<int>(reviews.size()); ++i) {
    auto* r = &reviews[i];
    if (i < kStandardFiles) {
      standard.push_back(r);
    } else if (i < kStandardFiles + 14) {
      out_of_court.push_back(r);
    } else {
      withdrawn.push_back(r);
    }
  }
  // Where THRIVE+ was used it was accurate (21 of 21); repeat victims were
  // recorded (17 of 27) among those identified as repeat victims.
  Assign(standard, standard, v1::THRIVE_RISK_ASSESSMENT_DONE, 21, 107, 11);
  std::vector<v1::CaseReview*> thrive_done;
  for (auto* r : standard) {
    if (OutcomeOf(*r, v1::THRIVE_RISK_ASSESSMENT_DONE) == v1::MET) {
      thrive_done.push_back(r);
    }
  }
  Assign(standard, thrive_done, v1::RISK_ASSESSMENT_ACCURATE, 21, 21, 0);
  Assign(standard, standard, v1::VULNERABILITY_CHECKED, 54, 97, 40);
  Assign(standard, standard, v1::REPEAT_VICTIM_IDENTIFIED, 39, 96, 73);
  std::vector<v1::CaseReview*> repeat;
  for (auto* r : standard) {
    if (OutcomeOf(*r, v1::REPEAT_VICTIM_IDENTIFIED) == v1::MET) {
      repeat.push_back(r);
    }
  }
  Assign(standard, repeat, v1::REPEAT_VICTIM_RECORDED, 17, 27, 5);
  Assign(standard, standard, v1::EVIDENCE_PRESERVATION_ADVICE, 15, 35, 101);
  Assign(standard, standard, v1::CRIME_PREVENTION_ADVICE, 31, 43, 19);
  Assign(standard, standard, v1::ALLOCATED_PER_POLICY, 100, 105, 60);
  Assign(standard, standard, v1::ARREST_AT_EARLIEST_OPPORTUNITY, 24, 26, 130);

  const auto& occ = IllustrativeOutOfCourtChecks();
  Assign(out_of_court, out_of_court, occ[0].check, occ[0].met,
         occ[0].applicable, 3);
  Assign(out_of_court, out_of_court, occ[1].check, occ[1].met,
         occ[1].applicable, 7);
  Assign(withdrawn, withdrawn, occ[2].check, occ[2].met, occ[2].applicable, 2);
  Assign(withdrawn, withdrawn, occ[3].check, occ[3].met, occ[3].applicable, 4);
  return reviews;
}

std::vector<v1::CaseReviewBatch> ReviewBatches(
    const std::vector<v1::CaseReview>& reviews, int size) {
  std::vector<v1::CaseReviewBatch> out;
  for (size_t i = 0; i < reviews.size(); i += size) {
    v1::CaseReviewBatch b;
    b.set_sequence(out.size() + 1);
    b.set_assessment_id(MetAssessment().assessment_id());
    for (size_t j = i; j < std::min(reviews.size(), i + size); ++j) {
      *b.add_reviews() = reviews[j];
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<v1::CallRecord> MetCallRecords() {
  std::mt19937_64 rng(20211001);
  auto uniform = [&](int64_t lo, int64_t hi) {  // [lo, hi]
    return lo +
           static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  // 1 October 2021 00:00 UTC; the quarter's 92 days.
  constexpr int64_t kStart = 1633046400;
  constexpr int64_t kQuarterSeconds = int64_t{92} * 86400;
  std::vector<v1::CallRecord> calls;
  auto add = [&](v1::ContactChannel channel) {
    v1::CallRecord c;
    c.set_call_id(absl::StrFormat("call-%06d-%s", calls.size(),
                                  channel == v1::EMERGENCY_999 ? "e" : "n"));
    c.set_force("metropolitan");
    c.set_channel(channel);
    c.mutable_offered_at()->set_seconds(kStart +
                                        uniform(0, kQuarterSeconds - 1));
    calls.push_back(c);
    return &calls.back();
  };
  // 999: 1,278 under 10 s, 600 from 10 to 60 s, 122 at 60 s or more (5 of
  // them beyond the histogram's 600 s), 40 abandoned.
  for (int i = 0; i < 2000; ++i) {
    int64_t ms;
    if (i < 1278) {
      ms = uniform(0, 9999);
    } else if (i < 1878) {
      ms = uniform(10000, 59999);
    } else if (i < 1995) {
      ms = uniform(60000, 420000);
    } else {
      ms = uniform(600000, 900000);
    }
    add(v1::EMERGENCY_999)->mutable_answered()->set_answer_ms(ms);
  }
  for (int i = 0; i < 40; ++i) {
    add(v1::EMERGENCY_999)
        ->mutable_abandoned()
        ->set_waited_ms(uniform(1000, 30000));
  }
  // 101: 951 answered, 549 abandoned (36.6%).
  for (int i = 0; i < 1500; ++i) {
    auto* c = add(v1::NON_EMERGENCY_101);
    if (i % 1500 < 549) {
      c->mutable_abandoned()->set_waited_ms(uniform(5000, 1800000));
    } else {
      c->mutable_answered()->set_answer_ms(uniform(2000, 1500000));
    }
  }
  // Interleave channels and times as a feed would.
  std::shuffle(calls.begin(), calls.end(), rng);
  return calls;
}

std::vector<v1::CallRecordBatch> CallBatches(
    const std::vector<v1::CallRecord>& calls, int size) {
  std::vector<v1::CallRecordBatch> out;
  for (size_t i = 0; i < calls.size(); i += size) {
    v1::CallRecordBatch b;
    b.set_sequence(out.size() + 1);
    for (size_t j = i; j < std::min(calls.size(), i + size); ++j) {
      *b.add_calls() = calls[j];
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace peel::victimservice::testing
