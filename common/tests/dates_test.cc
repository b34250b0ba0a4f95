#include "common/util/dates.h"

#include "gtest/gtest.h"

namespace peel::dates {
namespace {

TEST(Dates, ParsesAndFormatsRoundTrip) {
  auto d = ParseIsoDate("2021-06-30");
  ASSERT_TRUE(d.ok());
  // 2021-06-30 is day 18808 since 1970-01-01 (date -d 2021-06-30 +%s / 86400).
  EXPECT_EQ(*d, 18808);
  EXPECT_EQ(FormatIsoDate(*d), "2021-06-30");
  EXPECT_EQ(*ParseIsoDate("1970-01-01"), 0);
}

TEST(Dates, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseIsoDate("2021-02-29").ok());
  EXPECT_TRUE(ParseIsoDate("2020-02-29").ok());
  EXPECT_FALSE(ParseIsoDate("2021-13-01").ok());
  EXPECT_FALSE(ParseIsoDate("2021-6-30").ok());
  EXPECT_FALSE(ParseIsoDate("30/06/2021").ok());
  EXPECT_FALSE(ParseIsoDate("").ok());
}

TEST(Dates, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(FormatIsoDate(AddMonths(*ParseIsoDate("2021-01-01"), 6)),
            "2021-07-01");
  EXPECT_EQ(FormatIsoDate(AddMonths(*ParseIsoDate("2021-08-31"), 6)),
            "2022-02-28");
  EXPECT_EQ(FormatIsoDate(AddMonths(*ParseIsoDate("2021-07-01"), -12)),
            "2020-07-01");
}

TEST(Dates, DayOfUnixSeconds) {
  EXPECT_EQ(DayOfUnixSeconds(0), 0);
  EXPECT_EQ(DayOfUnixSeconds(86399), 0);
  EXPECT_EQ(DayOfUnixSeconds(-1), -1);
  EXPECT_EQ(DayOfUnixSeconds(1625011200), 18808);  // 2021-06-30T00:00Z
}

}  // namespace
}  // namespace peel::dates
