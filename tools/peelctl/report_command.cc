// peelctl report: the assessment and the national comparison of each of its
// compared metrics, rendered into one self-contained HTML page.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"
#include "tools/peelctl/gateway_client.h"
#include "tools/peelctl/report/html_report.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {
namespace {

namespace v1 = ::peel::gateway::v1;

// Written beside the target and renamed over it: a reader never sees half a
// page, and a failed run leaves the previous report in place.
absl::Status WriteAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path, ": ", ec.message()));
  }
  return absl::OkStatus();
}

int RunReport(const Invocation& inv) {
  const std::string out_path = inv.Flag("out");
  if (out_path.empty()) {
    std::cerr << "peelctl: report needs --out=FILE.html\n";
    return kExitUsage;
  }
  std::string address;
  peel::common::v1::Period period;
  int code = kExitOk;
  if (!GatewayAndPeriod(inv, &address, &period, &code)) return code;
  GatewayClient gateway(address);
  auto assessment = gateway.Assess(inv.args[0], period);
  if (!assessment.ok()) return ExitFor(assessment.status());

  // One chart per nationally compared key figure, in report order.
  std::vector<v1::ForceComparison> comparisons;
  std::set<std::string> seen;
  for (const auto& area : assessment->areas()) {
    for (const auto& figure : area.figures()) {
      if (!figure.has_comparison() || !seen.insert(figure.metric()).second) {
        continue;
      }
      auto c = gateway.Compare(figure.metric(), period);
      if (!c.ok()) {
        std::cerr << "peelctl: no national comparison of " << figure.metric()
                  << ": " << c.status().message() << "\n";
        continue;
      }
      comparisons.push_back(*std::move(c));
    }
  }
  report::ReportOptions options;
  options.title = inv.Flag("title");
  options.generated_at =
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone());
  options.source = absl::StrCat("gateway ", address);
  absl::Status s = WriteAtomically(
      out_path,
      report::RenderAssessmentHtml(*assessment, comparisons, options));
  if (!s.ok()) return ExitFor(s);
  std::cout << "wrote " << out_path << " (" << assessment->areas_size()
            << " areas, " << comparisons.size() << " national comparison chart"
            << (comparisons.size() == 1 ? "" : "s") << ")\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> ReportCommands() {
  return {
      {"report", "report FORCE --out=FILE.html [--period=P] [--title=T]",
       "write the force's assessment as a self-contained HTML page",
       "The page needs no network to view: inline CSS and SVG, no script. It\n"
       "has the eleven areas with their grades and key figures and, for each\n"
       "nationally compared metric, a bar chart of every force with FORCE\n"
       "highlighted and dotted lines at ±1 standard deviation, with a data\n"
       "table beside it and a text alternative.\n"
       "\nExample:\n  peelctl report metropolitan --out=report.html\n",
       WithConnectionFlags({"out", "period", "title"}), 1, 1, &RunReport},
  };
}

}  // namespace peel::peelctl
