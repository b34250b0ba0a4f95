// peelctl assess / compare / metrics: read what the gateway assembles.
#include <iostream>

#include "tools/peelctl/assessment_text.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"
#include "tools/peelctl/gateway_client.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {
namespace {

// Parses --period, asks the gateway and prints the answer as text or as
// protobuf JSON. `ask` calls the gateway; `text` renders its answer.
template <typename Ask, typename Text>
int Query(const Invocation& inv, Ask ask, Text text) {
  std::string address;
  peel::common::v1::Period period;
  int code = kExitOk;
  if (!GatewayAndPeriod(inv, &address, &period, &code)) return code;
  GatewayClient gateway(address);
  auto answer = ask(gateway, period);
  if (!answer.ok()) return ExitFor(answer.status());
  std::cout << (inv.Flag("format") == "json" ? ToJson(*answer) : text(*answer));
  return kExitOk;
}

int RunAssess(const Invocation& inv) {
  return Query(
      inv,
      [&](GatewayClient& g, const auto& period) {
        return g.Assess(inv.args[0], period);
      },
      &AssessmentText);
}

int RunCompare(const Invocation& inv) {
  return Query(
      inv,
      [&](GatewayClient& g, const auto& period) {
        return g.Compare(inv.args[0], period);
      },
      &ComparisonText);
}

int RunMetrics(const Invocation& inv) {
  return Query(
      inv, [](GatewayClient& g, const auto&) { return g.Metrics(); },
      &MetricsText);
}

}  // namespace

bool GatewayAndPeriod(const Invocation& inv, std::string* address,
                      peel::common::v1::Period* period, int* exit_code) {
  auto p = ParsePeriod(inv.Flag("period"));
  if (!p.ok()) {
    ExitFor(p.status());
    *exit_code = kExitUsage;
    return false;
  }
  auto a = AddressOf(inv.Suite(), "gateway");
  if (!a.ok()) {
    *exit_code = ExitFor(a.status());
    return false;
  }
  *address = *a;
  *period = *p;
  return true;
}

std::vector<Command> AssessCommands() {
  return {
      {"assess", "assess FORCE [--period=P] [--format=text|json]",
       "print a force's PEEL assessment as the gateway assembles it",
       "FORCE is a police.uk slug (metropolitan, kent, ...). The text lists "
       "the\n"
       "eleven areas with the recorded grade, the indicative grade from the\n"
       "grading policy and whether they differ; each area's key figures with\n"
       "interval, counts and national position; findings; the monitoring\n"
       "status; consistency warnings; and areas whose evidence service did "
       "not\n"
       "answer. --format=json prints the protobuf JSON of ForceAssessment.\n"
       "\nExample:\n  peelctl assess metropolitan --period=2021/22\n",
       WithConnectionFlags({"period", "format"}), 1, 1, &RunAssess},
      {"compare", "compare METRIC [--period=P] [--format=text|json]",
       "print the national comparison of one metric across the forces",
       "Every force's value, z-score and position (well above / well below:\n"
       "beyond one standard deviation), the Shapiro-Wilk tests deciding the\n"
       "raw or log space, the mean, SD and ±1 SD lines, and excluded forces.\n"
       "`peelctl metrics` lists the metric ids.\n"
       "\nExample:\n  peelctl compare crime_recording.rate\n",
       WithConnectionFlags({"period", "format"}), 1, 1, &RunCompare},
      {"metrics", "metrics [--format=text|json]",
       "list the metric catalogue (ids for compare)", "",
       WithConnectionFlags({"format"}), 0, 0, &RunMetrics},
  };
}

}  // namespace peel::peelctl
