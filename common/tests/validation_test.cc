#include "common/server/status_conversion.h"
#include "common/validation/common_fields.h"
#include "common/validation/field_violations.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace peel::validation {
namespace {

using peel::common::v1::Period;

Period MakePeriod(const char* s, const char* e) {
  Period p;
  p.set_start_date(s);
  p.set_end_date(e);
  return p;
}

TEST(Validation, ForceMustBeKnown) {
  FieldViolations v;
  EXPECT_TRUE(CheckForce("force", "metropolitan", &v));
  EXPECT_FALSE(CheckForce("force", "atlantis", &v));
  EXPECT_FALSE(CheckForce("force", "", &v));
  ASSERT_EQ(v.violations().size(), 2u);
  EXPECT_EQ(v.violations()[0].field, "force");
}

TEST(Validation, SixMonthPeriod) {
  FieldViolations v;
  EXPECT_TRUE(CheckPeriodOfMonths(
      "period", MakePeriod("2021-01-01", "2021-06-30"), 6, &v));
  EXPECT_FALSE(CheckPeriodOfMonths(
      "period", MakePeriod("2021-01-01", "2021-07-31"), 6, &v));
  EXPECT_FALSE(CheckPeriodOfMonths(
      "period", MakePeriod("2021-06-30", "2021-01-01"), 6, &v));
  ASSERT_EQ(v.violations().size(), 2u);
  EXPECT_EQ(v.violations()[0].field, "period.end_date");
  EXPECT_NE(v.violations()[0].description.find("2021-06-30"),
            std::string::npos);
  EXPECT_EQ(v.violations()[1].description, "is before start_date");
}

TEST(Validation, StatusCarriesBadRequestThroughGrpc) {
  FieldViolations v("audit.");
  v.Add("force", "unknown");
  v.Add("recorded_crime_base", "must not be negative");
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(status).size(), 2u);

  grpc::Status g = server::ToGrpcStatus(status);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest br;
  ASSERT_TRUE(br.ParseFromString(details.details(0).value()));
  ASSERT_EQ(br.field_violations_size(), 2);
  EXPECT_EQ(br.field_violations(0).field(), "audit.force");
  EXPECT_EQ(br.field_violations(1).field(), "audit.recorded_crime_base");
}

TEST(Validation, Ids) {
  FieldViolations v;
  EXPECT_TRUE(CheckId("id", "inc-0001", &v));
  EXPECT_FALSE(CheckId("id", "has space", &v));
  EXPECT_FALSE(CheckId("id", std::string(129, 'x'), &v));
  EXPECT_FALSE(CheckId("id", "", &v));
  EXPECT_EQ(v.violations().size(), 3u);
}

}  // namespace
}  // namespace peel::validation
