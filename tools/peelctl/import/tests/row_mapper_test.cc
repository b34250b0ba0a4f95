// Cells onto call records: times (the fast path and the general formats),
// enums, nested fields, and the errors that name the column.
#include "tools/peelctl/import/row_mapper.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "peel/victimservice/v1/victim_service.pb.h"

namespace peel::peelctl {
namespace {

using peel::victimservice::v1::CallRecord;

const std::vector<std::string> kHeader = {"call_id",
                                          "force",
                                          "channel",
                                          "offered_at",
                                          "answered.answer_ms",
                                          "abandoned.waited_ms"};

CallRecord Map(const std::vector<std::string>& row,
               std::vector<CellError>* errors) {
  auto mapper = RowMapper::Create(CallRecord::descriptor(), kHeader);
  EXPECT_TRUE(mapper.ok()) << mapper.status();
  CallRecord record;
  mapper->Apply(row, false, &record, errors);
  return record;
}

// Seconds since the epoch, from Python's calendar.timegm.
TEST(RowMapper, TimesAsUtcSeconds) {
  const std::pair<std::string, int64_t> cases[] = {
      {"2021-06-03T10:00:00Z", 1622714400},
      {"2024-02-29T23:59:59Z", 1709251199},
      {"1999-12-31T23:59:59Z", 946684799},
      {"2021-06-03T10:00:00+01:00", 1622710800},  // general formats
      {"2021-06-03", 1622678400},
      {" 2021-06-03T10:00:00Z ", 1622714400},
  };
  for (const auto& [text, seconds] : cases) {
    std::vector<CellError> errors;
    CallRecord r =
        Map({"c1", "metropolitan", "EMERGENCY_999", text, "4000", ""}, &errors);
    EXPECT_TRUE(errors.empty()) << text << ": " << errors[0].reason;
    EXPECT_EQ(r.offered_at().seconds(), seconds) << text;
    EXPECT_EQ(r.offered_at().nanos(), 0) << text;
  }
}

TEST(RowMapper, ImpossibleTimesAreRejected) {
  for (const char* text :
       {"2021-02-29T10:00:00Z", "2021-06-31T10:00:00Z", "2021-13-01T10:00:00Z",
        "2021-06-03T24:00:00Z", "2021-06-03T10:60:00Z", "2021-06-0xT10:00:00Z",
        "yesterday"}) {
    std::vector<CellError> errors;
    Map({"c1", "metropolitan", "EMERGENCY_999", text, "4000", ""}, &errors);
    ASSERT_EQ(errors.size(), 1u) << text;
    EXPECT_EQ(errors[0].column, "offered_at");
    EXPECT_NE(errors[0].reason.find("not a date or time"), std::string::npos)
        << text;
  }
}

TEST(RowMapper, EnumsNestedFieldsAndNumbers) {
  std::vector<CellError> errors;
  CallRecord r = Map(
      {"c9", "kent", "non-emergency 101", "2021-01-01T00:00:00Z", "", "65000"},
      &errors);
  ASSERT_TRUE(errors.empty()) << errors[0].reason;
  EXPECT_EQ(r.call_id(), "c9");
  EXPECT_EQ(r.force(), "kent");
  EXPECT_EQ(r.channel(), peel::victimservice::v1::NON_EMERGENCY_101);
  EXPECT_FALSE(r.has_answered());
  EXPECT_EQ(r.abandoned().waited_ms(), 65000);

  errors.clear();
  Map({"c9", "kent", "PIGEON", "2021-01-01T00:00:00Z", "12x", ""}, &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].column, "channel");
  EXPECT_NE(errors[0].reason.find("EMERGENCY_999"), std::string::npos);
  EXPECT_EQ(errors[1].column, "answered.answer_ms");
  EXPECT_EQ(errors[1].reason, "'12x' is not a whole number");
}

TEST(RowMapper, UnknownColumnIsNamed) {
  auto mapper = RowMapper::Create(CallRecord::descriptor(),
                                  {"call_id", "force", "colour"});
  ASSERT_FALSE(mapper.ok());
  EXPECT_NE(mapper.status().message().find("colour"), std::string::npos);
}

}  // namespace
}  // namespace peel::peelctl
