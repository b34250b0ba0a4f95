// Victim service demo: the Metropolitan Police victim service assessment
// (165 standard crime files and 20 out-of-court / withdrawal files) and its
// October to December 2021 call records, exactly as the victim-service tests
// load them (services/victim-service/tests/met_fixture.cc). Every other
// force gets synthetic call handling over the same three months: a
// police.uk-style monthly 999 table and 101 call records (ids
// "synthetic-..."), so both call comparisons have 43 values.
#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/reference/forces.h"
#include "google/protobuf/util/time_util.h"
#include "services/victim-service/tests/met_fixture.h"
#include "tools/demo/generator/demo.h"

namespace peel::demo {
namespace {

namespace vs = ::peel::victimservice::v1;

constexpr const char* kMonths[] = {"2021-10", "2021-11", "2021-12"};

void WriteSyntheticCalls(const reference::Force& force, std::mt19937_64& rng,
                         DemoWriter* out) {
  // 999: about 0.6 answered calls a month per 1,000 people; the share
  // answered within 10 s around 85% (the Met's published 63.9% sits low).
  std::normal_distribution<double> within(0.85, 0.06);
  const double p10 = std::clamp(within(rng), 0.55, 0.99);
  for (const char* month : kMonths) {
    vs::MonthlyCallAggregate m;
    m.set_force(std::string(force.slug));
    m.set_month(month);
    const int64_t calls =
        std::max<int64_t>(200, force.population_mid2020 * 6 / 10000);
    const int64_t under = std::llround(static_cast<double>(calls) * p10);
    const int64_t over = (calls - under) / 5;
    m.set_calls(calls);
    m.set_under_10s(under);
    m.set_from_10_to_60s(calls - under - over);
    m.set_over_60s(over);
    m.set_mean_answer_seconds(4.0 + 40.0 * (1.0 - p10));
    m.set_source("synthetic demo figure (police.uk 999 table layout)");
    out->Add("monthly-999", "victim-service/monthly-999-synthetic.jsonl", m);
  }
  // 101: 150 call records, about 15% abandoned.
  std::normal_distribution<double> abandon(0.15, 0.05);
  std::bernoulli_distribution abandoned(std::clamp(abandon(rng), 0.03, 0.40));
  std::exponential_distribution<double> answer_s(1.0 / 90);
  std::uniform_int_distribution<int> second(0, 92 * 86400 - 1);
  const int64_t oct1 = 1633046400;  // 2021-10-01T00:00:00Z
  for (int i = 0; i < 150; ++i) {
    vs::CallRecord c;
    c.set_call_id(absl::StrFormat("synthetic-101-%04d", i));
    c.set_force(std::string(force.slug));
    c.set_channel(vs::NON_EMERGENCY_101);
    *c.mutable_offered_at() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(oct1 +
                                                             second(rng));
    const int64_t ms = std::llround(answer_s(rng) * 1000);
    if (abandoned(rng)) {
      c.mutable_abandoned()->set_waited_ms(ms);
    } else {
      c.mutable_answered()->set_answer_ms(ms);
    }
    out->Add("call-records", "victim-service/call-records-101-synthetic.jsonl",
             c);
  }
}

}  // namespace

void WriteVictimService(std::mt19937_64& rng, DemoWriter* out) {
  namespace fixture = ::peel::victimservice::testing;
  const vs::Assessment met = fixture::MetAssessment();
  out->Add("assessments", "victim-service/assessments.jsonl", met);
  for (const auto& review : fixture::MetCaseReviews()) {
    out->Add("case-reviews", "victim-service/case-reviews-metropolitan.jsonl",
             review, absl::StrCat("--assessment=", met.assessment_id()));
  }
  for (const auto& call : fixture::MetCallRecords()) {
    out->Add("call-records", "victim-service/call-records-metropolitan.jsonl",
             call);
  }
  for (const auto& force : reference::AllForces()) {
    if (!force.in_peel_scope || force.slug == "metropolitan") continue;
    WriteSyntheticCalls(force, rng, out);
  }
}

}  // namespace peel::demo
