#include "services/gateway/policy.h"

#include <cstdlib>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace peel::gateway {
namespace {

using peel::common::v1::Grade;
using ::testing::HasSubstr;

absl::Status Check(const std::string& text) {
  return ParsePolicy(text, "test.textproto").status();
}

TEST(GatewayPolicy, ShippedPolicyLoads) {
  const char* path = std::getenv("PEEL_GATEWAY_POLICY");
  if (path == nullptr) path = PEEL_GATEWAY_POLICY_PATH;
  auto p = LoadPolicyFile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->policy_id(), "peel-2021-22");
}

TEST(GatewayPolicy, UnknownMetricIsRefusedByName) {
  absl::Status s = Check(R"pb(
    policy_id: "x"
    areas {
      area: RESPONDING_TO_THE_PUBLIC
      rules {
        metric: "calls.999_within_11s"
        thresholds { good: 0.9 }
      }
    })pb");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("unknown metric 'calls.999_within_11s'"));
  EXPECT_THAT(s.message(), HasSubstr("test.textproto"));
}

TEST(GatewayPolicy, ThresholdsOutOfOrderAreRefused) {
  // Higher is better: good must be above adequate.
  absl::Status s = Check(R"pb(
    policy_id: "x"
    areas {
      area: RESPONDING_TO_THE_PUBLIC
      rules {
        metric: "calls.999_within_10s"
        thresholds { good: 0.80 adequate: 0.85 }
      }
    })pb");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("out of order"));
  EXPECT_THAT(s.message(), HasSubstr("good = 0.8 must be above adequate"));
  // Lower is better: good must be below adequate.
  s = Check(R"pb(
    policy_id: "x"
    areas {
      area: RESPONDING_TO_THE_PUBLIC
      rules {
        metric: "calls.101_abandoned"
        thresholds { good: 0.15 adequate: 0.10 }
      }
    })pb");
  EXPECT_THAT(s.message(), HasSubstr("must be below adequate"));
  // The same order is fine the right way round.
  EXPECT_TRUE(Check(R"pb(
                policy_id: "x"
                areas {
                  area: RESPONDING_TO_THE_PUBLIC
                  rules {
                    metric: "calls.101_abandoned"
                    thresholds { good: 0.10 adequate: 0.15 }
                  }
                })pb")
                  .ok());
}

TEST(GatewayPolicy, OtherProblemsAreRefused) {
  EXPECT_THAT(Check(R"pb(policy_id: "x"
                         areas {
                           area: SERVICE_TO_VICTIMS
                           rules {
                             metric: "crime_recording.rate"
                             thresholds { good: 0.9 }
                           }
                         })pb")
                  .message(),
              HasSubstr("ungraded"));
  EXPECT_THAT(Check(R"pb(policy_id: "x"
                         areas {
                           area: RECORDING_DATA_ABOUT_CRIME
                           rules { metric: "crime_recording.rate" }
                         })pb")
                  .message(),
              HasSubstr("no threshold is set"));
  EXPECT_THAT(Check(R"pb(policy_id: "x"
                         areas {
                           area: RECORDING_DATA_ABOUT_CRIME
                           rules {
                             metric: "crime_recording.rate"
                             thresholds { good: 95 }
                           }
                         })pb")
                  .message(),
              HasSubstr("not a proportion"));
  EXPECT_THAT(Check(R"pb(policy_id: "x"
                         areas { area: RECORDING_DATA_ABOUT_CRIME }
                         areas { area: RECORDING_DATA_ABOUT_CRIME })pb")
                  .message(),
              HasSubstr("appears twice"));
  EXPECT_THAT(Check("policy_id: \"x\" areas { area: NOT_AN_AREA }").message(),
              HasSubstr("does not parse"));
  EXPECT_THAT(Check("areas { }").message(), HasSubstr("policy_id: missing"));
  EXPECT_EQ(LoadPolicyFile("/nonexistent/policy.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(GatewayPolicy, GradesFollowTheStatedTargets) {
  const char* path = std::getenv("PEEL_GATEWAY_POLICY");
  if (path == nullptr) path = PEEL_GATEWAY_POLICY_PATH;
  auto p = LoadPolicyFile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  // The Met: 63.9% of 999 calls within 10 s, 36.6% of 101 calls abandoned,
  // THRIVE in 21 of 107: INADEQUATE, as judged.
  auto g = GradeArea(*p, v1::RESPONDING_TO_THE_PUBLIC,
                     {{"calls.999_within_10s", 0.639},
                      {"calls.101_abandoned", 0.366},
                      {"vsa.thrive_assessment", 21.0 / 107}});
  EXPECT_EQ(g.grade, peel::common::v1::INADEQUATE) << g.basis;
  // Meeting both targets exactly: 90% answered, 9.9% abandoned.
  g = GradeArea(
      *p, v1::RESPONDING_TO_THE_PUBLIC,
      {{"calls.999_within_10s", 0.90}, {"calls.101_abandoned", 0.099}});
  EXPECT_EQ(g.grade, peel::common::v1::GOOD) << g.basis;
  // 10% abandoned is not "fewer than 10%".
  g = GradeArea(
      *p, v1::RESPONDING_TO_THE_PUBLIC,
      {{"calls.999_within_10s", 0.95}, {"calls.101_abandoned", 0.10}});
  EXPECT_EQ(g.grade, peel::common::v1::ADEQUATE) << g.basis;
  // Recording: 91.7% is ADEQUATE, as judged.
  g = GradeArea(*p, v1::RECORDING_DATA_ABOUT_CRIME,
                {{"crime_recording.rate", 464.0 / 506}});
  EXPECT_EQ(g.grade, peel::common::v1::ADEQUATE) << g.basis;
  // No figure, no rule, ungraded.
  EXPECT_EQ(GradeArea(*p, v1::RECORDING_DATA_ABOUT_CRIME, {}).grade,
            peel::common::v1::NOT_YET_ASSESSED);
  EXPECT_EQ(GradeArea(*p, v1::MANAGING_OFFENDERS, {}).grade,
            peel::common::v1::NOT_YET_ASSESSED);
  EXPECT_EQ(GradeArea(*p, v1::SERVICE_TO_VICTIMS, {}).grade,
            peel::common::v1::UNGRADED);
}

}  // namespace
}  // namespace peel::gateway
