#include "common/auth/policy.h"

#include "gtest/gtest.h"

namespace peel::auth {
namespace {

Identity As(const std::string& role) {
  auto id = ParseRole(role);
  EXPECT_TRUE(id.ok()) << id.status();
  return id.ok() ? *id : Identity{};
}

TEST(Roles, Parse) {
  EXPECT_EQ(As("inspector").role, Role::kInspector);
  EXPECT_EQ(As("reader").role, Role::kReader);
  EXPECT_EQ(As("operator").role, Role::kOperator);
  EXPECT_EQ(As("gateway").role, Role::kGateway);
  Identity kent = As("force-analyst:kent");
  EXPECT_EQ(kent.role, Role::kForceAnalyst);
  EXPECT_EQ(kent.force, "kent");
  EXPECT_EQ(RoleText(kent), "force-analyst:kent");
  EXPECT_FALSE(ParseRole("force-analyst:atlantis").ok());
  EXPECT_FALSE(ParseRole("force-analyst:").ok());
  EXPECT_FALSE(ParseRole("admin").ok());
  EXPECT_FALSE(ParseRole("").ok());
}

TEST(Policy, UnknownMethodHasNoRule) {
  EXPECT_EQ(RuleFor("/peel.crimerecording.v1.CrimeRecordingService/Nope"),
            nullptr);
  EXPECT_EQ(RuleFor("CreateAudit"), nullptr);
}

TEST(Policy, RolesPerMethod) {
  const MethodRule* create =
      RuleFor("/peel.crimerecording.v1.CrimeRecordingService/CreateAudit");
  const MethodRule* national = RuleFor(
      "/peel.crimerecording.v1.CrimeRecordingService/"
      "GetNationalRecordingRates");
  const MethodRule* assess =
      RuleFor("/peel.gateway.v1.AssessmentGateway/GetForceAssessment");
  const MethodRule* judge =
      RuleFor("/peel.gateway.v1.AssessmentGateway/RecordJudgment");
  const MethodRule* health = RuleFor("/grpc.health.v1.Health/Check");
  ASSERT_TRUE(create && national && assess && judge && health);
  EXPECT_TRUE(create->write());
  EXPECT_TRUE(judge->write());
  EXPECT_FALSE(assess->write());

  EXPECT_TRUE(RoleAllowed(As("force-analyst:kent"), *create));
  EXPECT_FALSE(RoleAllowed(As("inspector"), *create));
  EXPECT_FALSE(RoleAllowed(As("reader"), *create));
  EXPECT_FALSE(RoleAllowed(As("gateway"), *create));

  EXPECT_TRUE(RoleAllowed(As("gateway"), *national));
  EXPECT_TRUE(RoleAllowed(As("inspector"), *national));
  EXPECT_FALSE(RoleAllowed(As("force-analyst:kent"), *national));
  EXPECT_FALSE(RoleAllowed(As("reader"), *national));

  EXPECT_TRUE(RoleAllowed(As("reader"), *assess));
  EXPECT_FALSE(RoleAllowed(As("operator"), *assess));
  EXPECT_TRUE(RoleAllowed(As("inspector"), *judge));
  EXPECT_FALSE(RoleAllowed(As("reader"), *judge));
  EXPECT_TRUE(RoleAllowed(As("operator"), *health));
  EXPECT_FALSE(RoleAllowed(As("reader"), *health));
}

TEST(Policy, CheckpointsForOperatorAndInspectorOnly) {
  const MethodRule* checkpoint =
      RuleFor("/peel.admin.v1.Admin/CreateCheckpoint");
  ASSERT_NE(checkpoint, nullptr);
  EXPECT_FALSE(checkpoint->write());
  EXPECT_FALSE(checkpoint->force_scoped());
  EXPECT_TRUE(RoleAllowed(As("operator"), *checkpoint));
  EXPECT_TRUE(RoleAllowed(As("inspector"), *checkpoint));
  EXPECT_FALSE(RoleAllowed(As("reader"), *checkpoint));
  EXPECT_FALSE(RoleAllowed(As("gateway"), *checkpoint));
  EXPECT_FALSE(RoleAllowed(As("force-analyst:kent"), *checkpoint));
}

TEST(Policy, PushedDataVersionsForTheGatewayAndInspector) {
  const MethodRule* watch = RuleFor("/peel.admin.v1.Admin/WatchDataVersion");
  ASSERT_NE(watch, nullptr);
  EXPECT_FALSE(watch->write());
  EXPECT_FALSE(watch->force_scoped());
  EXPECT_TRUE(RoleAllowed(As("gateway"), *watch));
  EXPECT_TRUE(RoleAllowed(As("inspector"), *watch));
  EXPECT_FALSE(RoleAllowed(As("reader"), *watch));
  EXPECT_FALSE(RoleAllowed(As("operator"), *watch));
  EXPECT_FALSE(RoleAllowed(As("force-analyst:kent"), *watch));
}

TEST(Policy, ForceAnalystOnlyItsOwnForce) {
  const MethodRule* create =
      RuleFor("/peel.crimerecording.v1.CrimeRecordingService/CreateAudit");
  ASSERT_NE(create, nullptr);
  const Identity kent = As("force-analyst:kent");
  EXPECT_TRUE(CheckForces(kent, "m", *create, {"kent"}).ok());
  EXPECT_EQ(CheckForces(kent, "m", *create, {"metropolitan"}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckForces(kent, "m", *create, {"kent", "metropolitan"}).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckForces(kent, "m", *create, {}).code(),
            absl::StatusCode::kPermissionDenied);
  // Other roles are not force-bound.
  EXPECT_TRUE(CheckForces(As("inspector"), "m", *create, {"kent"}).ok());
}

}  // namespace
}  // namespace peel::auth
