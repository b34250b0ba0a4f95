#pragma once

#include <vector>

#include "peel/victimservice/v1/victim_service.pb.h"

// Record-level fixtures for the Metropolitan Police Service's 2021/22 PEEL
// victim service assessment and call handling, laid out so that they yield
// the published figures. Case and call ids are opaque tokens.
namespace peel::victimservice::testing {

namespace v1 = ::peel::victimservice::v1;

// A published "met of applicable" figure.
struct PublishedCheck {
  v1::Check check;
  int met;
  int applicable;
};

// The figures the report gives for the 165 standard case files:
// THRIVE 21 of 107, vulnerability 54 of 97, repeat victim identified 39 of
// 96, repeat victim recorded 17 of 27, evidence-preservation advice 15 of 35,
// crime-prevention advice 31 of 43, allocation 100 of 105, arrest 24 of 26,
// and THRIVE accurate in all 21 cases where it was used.
const std::vector<PublishedCheck>& PublishedChecks();

// The out-of-court and withdrawal files: the report gives words, not
// counts ("most" met the criteria, the victim's views "weren't always"
// recorded, the victim's decision was "missing in most cases", evidence-led
// prosecution not always considered). These counts are illustrative choices
// that match those words.
const std::vector<PublishedCheck>& IllustrativeOutOfCourtChecks();

v1::Assessment MetAssessment();
// 165 standard crime files, then 8 cautions, 6 community resolutions and 6
// files where the victim did not support police action.
std::vector<v1::CaseReview> MetCaseReviews();
std::vector<v1::CaseReviewBatch> ReviewBatches(
    const std::vector<v1::CaseReview>& reviews, int size);

// Calls over October to December 2021: 2,000 answered 999 calls of which
// 1,278 (63.9%) in under 10 s, 40 abandoned 999 calls, and 1,500 101 calls
// of which 549 (36.6%) abandoned. Answer times are pseudo-random (fixed
// seed), a few beyond 600 s.
std::vector<v1::CallRecord> MetCallRecords();
std::vector<v1::CallRecordBatch> CallBatches(
    const std::vector<v1::CallRecord>& calls, int size);

}  // namespace peel::victimservice::testing
