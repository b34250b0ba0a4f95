// peelctl's command line: what is a usage error, what is help, and how
// flags reach the commands; and --period's forms.
#include "tools/peelctl/cli.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/peelctl/gateway_client.h"

namespace peel::peelctl {
namespace {

using ::testing::HasSubstr;

int Noop(const Invocation&) { return 0; }

std::vector<Command> Table() {
  return {
      {"assess",
       "assess FORCE [--period=P] [--format=text|json]",
       "assess",
       "",
       {"period", "format"},
       1,
       1,
       &Noop},
      {"import",
       "import KIND FILE [--quiet]",
       "import",
       "",
       {"quiet", "batch_size"},
       2,
       2,
       &Noop},
  };
}

absl::Status Parse(std::vector<std::string> argv, Invocation* inv) {
  return ParseInvocation(argv, Table(), inv);
}

TEST(ParseInvocation, FlagsBeforeAndAfterTheCommand) {
  Invocation inv;
  ASSERT_TRUE(
      Parse({"--data_dir=/tmp/d", "assess", "metropolitan", "--format", "json"},
            &inv)
          .ok());
  EXPECT_EQ(inv.command, "assess");
  EXPECT_EQ(inv.args, std::vector<std::string>{"metropolitan"});
  EXPECT_EQ(inv.Flag("format"), "json");
  EXPECT_EQ(inv.Flag("data_dir"), "/tmp/d");
  EXPECT_EQ(inv.Flag("period"), "");  // default
  EXPECT_FALSE(inv.help);
}

TEST(ParseInvocation, BooleansTakeBareNegatedAndExplicitForms) {
  Invocation inv;
  ASSERT_TRUE(Parse({"import", "k", "f", "--quiet"}, &inv).ok());
  EXPECT_TRUE(inv.BoolFlag("quiet"));
  ASSERT_TRUE(Parse({"import", "k", "f", "--noquiet"}, &inv).ok());
  EXPECT_FALSE(inv.BoolFlag("quiet"));
  ASSERT_TRUE(Parse({"import", "k", "f", "--quiet=false"}, &inv).ok());
  EXPECT_FALSE(inv.BoolFlag("quiet"));
  absl::Status s = Parse({"import", "k", "f", "--quiet=maybe"}, &inv);
  EXPECT_THAT(s.message(), HasSubstr("--quiet takes true or false"));
}

TEST(ParseInvocation, MistakesAreNamed) {
  Invocation inv;
  EXPECT_THAT(Parse({"assess", "x", "--colour=red"}, &inv).message(),
              HasSubstr("unknown flag --colour"));
  EXPECT_THAT(Parse({"assess", "x", "--quiet"}, &inv).message(),
              HasSubstr("peelctl assess does not take --quiet"));
  EXPECT_THAT(Parse({"assess"}, &inv).message(),
              HasSubstr("usage: peelctl assess FORCE"));
  EXPECT_THAT(Parse({"assess", "a", "b"}, &inv).message(),
              HasSubstr("usage: peelctl assess FORCE"));
  EXPECT_THAT(Parse({"frobnicate"}, &inv).message(),
              HasSubstr("unknown command 'frobnicate'"));
  EXPECT_THAT(Parse({"assess", "x", "--format=xml"}, &inv).message(),
              HasSubstr("--format is text or json, not 'xml'"));
  EXPECT_THAT(Parse({"assess", "x", "--period"}, &inv).message(),
              HasSubstr("--period needs a value"));
  EXPECT_THAT(Parse({"help", "nothing"}, &inv).message(),
              HasSubstr("no command 'nothing'"));
}

TEST(ParseInvocation, HelpNeedsNoArguments) {
  Invocation inv;
  ASSERT_TRUE(Parse({"assess", "--help"}, &inv).ok());
  EXPECT_TRUE(inv.help);
  EXPECT_EQ(inv.command, "assess");
  ASSERT_TRUE(Parse({"help", "import"}, &inv).ok());
  EXPECT_EQ(inv.command, "help");
  ASSERT_TRUE(Parse({"-h"}, &inv).ok());
  EXPECT_TRUE(inv.help);
  EXPECT_EQ(inv.command, "");
}

TEST(ParseInvocation, DoubleDashEndsFlags) {
  Invocation inv;
  ASSERT_TRUE(Parse({"import", "--", "k", "--odd-file.csv"}, &inv).ok());
  EXPECT_EQ(inv.args, (std::vector<std::string>{"k", "--odd-file.csv"}));
}

TEST(Help, CommandHelpNamesItsFlagsAndExitCodes) {
  std::string h = CommandHelp(Table()[0]);
  EXPECT_THAT(h, HasSubstr("usage: peelctl assess FORCE"));
  EXPECT_THAT(h, HasSubstr("--period=..."));
  EXPECT_THAT(h, HasSubstr("--data_dir=..."));
  EXPECT_THAT(h, HasSubstr("3 suite not running"));
  std::string o = OverviewHelp(Table());
  EXPECT_THAT(o, HasSubstr("  assess "));
  EXPECT_THAT(o, HasSubstr("4  import finished but some rows were rejected"));
}

TEST(ExitFor, UnavailableIsNotRunning) {
  EXPECT_EQ(ExitFor(absl::OkStatus()), kExitOk);
  EXPECT_EQ(ExitFor(absl::UnavailableError("gateway is not running")),
            kExitNotRunning);
  EXPECT_EQ(ExitFor(absl::NotFoundError("no force 'x'")), kExitFailed);
}

TEST(ParsePeriod, FinancialYearAndRange) {
  auto fy = ParsePeriod("2021/22");
  ASSERT_TRUE(fy.ok());
  EXPECT_EQ(fy->start_date(), "2021-04-01");
  EXPECT_EQ(fy->end_date(), "2022-03-31");
  auto range = ParsePeriod("2021-07-01..2021-12-31");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->start_date(), "2021-07-01");
  EXPECT_EQ(range->end_date(), "2021-12-31");
  EXPECT_TRUE(ParsePeriod("")->start_date().empty());
  EXPECT_FALSE(ParsePeriod("2021/23").ok());
  EXPECT_FALSE(ParsePeriod("2021-02-30..2021-03-01").ok());
  EXPECT_THAT(ParsePeriod("2022-01-01..2021-01-01").status().message(),
              HasSubstr("is before"));
  EXPECT_THAT(ParsePeriod("last year").status().message(),
              HasSubstr("--period: 'last year'"));
}

}  // namespace
}  // namespace peel::peelctl
