#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "peel/workforce/v1/workforce.pb.h"

// Record-level workforce data for the Metropolitan Police Service, laid
// out so that the profile reproduces the reference report's figures:
//   - 19.2% of the workforce who stated their ethnicity were from an ethnic
//     minority on 31 March 2021 (8,160 of 42,500 stated; 1,550 not stated);
//   - 1,500 officers left in the 12 months to 31 March 2022 ("around
//     1,500 officers are leaving the force every year");
//   - occupational-health waits averaging 7, 11 and 12 days in January to
//     March 2020, 2021 and 2022;
//   - 2,116 more officers on 31 December 2021 than the 30,000 baseline:
//     78% of an allocation of 2,713 to 31 March 2022;
//   - screening: of 100 officers in high-risk roles on 31 March 2022, 30
//     last screened more than 6 months before, 8 more than 18 months.
// Person ids are opaque hex tokens. The design numbers are in kMet.
namespace peel::workforce::testing {

namespace v1 = ::peel::workforce::v1;

struct MetDesign {
  int64_t baseline_officers = 30000;  // in post on 2019-03-31
  int64_t joiners[4] = {2000, 2300, 1791, 700};
  int64_t leavers[4] = {1450, 1400, 1125, 375};
  // P1 2019-04-01..2020-03-31, P2 ..2021-03-31, P3 ..2021-12-31,
  // P4 ..2022-03-31.
  int64_t staff = 11000, pcsos = 1200, designated = 400, specials = 1800;
  int64_t ethnic_minority_2021 = 8160, not_stated_2021 = 1550;
  int64_t female_2021 = 14100;
  int64_t promoted = 1000;  // constables made sergeant on 2020-06-01
  int64_t high_risk = 100, overdue = 30, overdue_18 = 8;
  int64_t allocation_2022 = 2713;
};
inline constexpr MetDesign kMet{};

// An opaque 32-hex-digit token for person `n` of `salt`.
std::string PersonId(uint64_t salt, uint64_t n);

std::vector<v1::PersonRecord> MetPeople();
std::vector<v1::WellbeingEvent> MetWellbeingEvents();
v1::UpliftTarget MetUpliftTarget();
v1::PopulationReference MetPopulation();

// `count` police staff of `force`, all in post since 2010, of whom
// `minority` are from an ethnic minority (none unstated).
std::vector<v1::PersonRecord> SmallForce(const std::string& force, int count,
                                         int minority);

std::vector<v1::PersonRecordBatch> PersonBatches(
    const std::vector<v1::PersonRecord>& records, int size);
std::vector<v1::WellbeingEventBatch> EventBatches(
    const std::vector<v1::WellbeingEvent>& events, int size);

}  // namespace peel::workforce::testing
