#include "tools/peelctl/report/html_text.h"

#include "gtest/gtest.h"

namespace peel::report {
namespace {

namespace v1 = peel::gateway::v1;

TEST(HtmlTextTest, EscapesMarkupAndBothQuotes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">Tom's & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(HtmlTextTest, IdFragmentKeepsOnlySafeCharacters) {
  EXPECT_EQ(IdFragment("calls.999_within_10s"), "calls-999-within-10s");
  EXPECT_EQ(IdFragment("\"><script>"), "script");
  EXPECT_EQ(IdFragment("<>"), "x");
}

TEST(HtmlTextTest, NumbersHaveThousandsSeparators) {
  EXPECT_EQ(FormatNumber(311295, 0), "311,295");
  EXPECT_EQ(FormatNumber(8961989, 0), "8,961,989");
  EXPECT_EQ(FormatNumber(999, 0), "999");
  EXPECT_EQ(FormatNumber(1000, 0), "1,000");
  EXPECT_EQ(FormatNumber(34.64, 1), "34.6");
  EXPECT_EQ(FormatNumber(-1234.5, 1), "-1,234.5");
  EXPECT_EQ(FormatNumber(-0.04, 1), "0.0");
}

TEST(HtmlTextTest, ValuesInTheirUnits) {
  EXPECT_EQ(FormatValue(0.917, v1::PROPORTION), "91.7%");
  EXPECT_EQ(FormatValue(34.6, v1::PER_1000_POPULATION),
            "34.6 per 1,000 population");
  EXPECT_EQ(FormatValue(69100, v1::COUNT), "69,100");
  EXPECT_EQ(FormatValue(12.26, v1::DAYS), "12.3 days");
  EXPECT_EQ(FormatTick(0.4, 0.2, v1::PROPORTION), "40%");
  EXPECT_EQ(FormatTick(0.25, 0.05, v1::PROPORTION), "25%");
  EXPECT_EQ(FormatTick(7.5, 2.5, v1::PER_1000_POPULATION), "7.5");
  EXPECT_EQ(FormatTick(20, 10, v1::PER_1000_POPULATION), "20");
}

TEST(HtmlTextTest, GradesAndForces) {
  EXPECT_EQ(GradeName(peel::common::v1::REQUIRES_IMPROVEMENT),
            "Requires improvement");
  EXPECT_EQ(GradeClass(peel::common::v1::REQUIRES_IMPROVEMENT),
            "requires-improvement");
  EXPECT_EQ(GradeName(peel::common::v1::GRADE_UNSPECIFIED), "Not recorded");
  EXPECT_EQ(ForceName("metropolitan"), "Metropolitan Police Service");
  EXPECT_EQ(ForceName("no-such-force"), "no-such-force");
}

}  // namespace
}  // namespace peel::report
