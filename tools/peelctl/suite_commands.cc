// peelctl up / down / status.
#include <iostream>

#include "absl/strings/str_format.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {
namespace {

int RunUp(const Invocation& inv) {
  const SuiteOptions suite = inv.Suite();
  absl::Status s = Up(suite);
  if (!s.ok()) return ExitFor(s);
  for (const auto& st : Status(suite)) {
    if (st.running) std::cout << st.name << " at " << st.address << "\n";
  }
  std::cout << "suite up; data and logs in " << suite.data_dir
            << "\nstop it with: peelctl down --data_dir=" << suite.data_dir
            << "\n";
  return kExitOk;
}

int RunDown(const Invocation& inv) {
  absl::Status s = Down(inv.Suite());
  if (s.ok()) std::cout << "suite stopped\n";
  return ExitFor(s);
}

int RunStatus(const Invocation& inv) {
  const SuiteOptions suite = inv.Suite();
  bool all_serving = true, any = false;
  for (const auto& st : Status(suite)) {
    std::string version =
        st.serving ? absl::StrFormat("data version %d", st.data_version) : "";
    std::cout << absl::StrFormat("%-16s %-12s %-16s %s %s\n", st.name,
                                 st.serving   ? "SERVING"
                                 : st.running ? "NOT_SERVING"
                                              : "DOWN",
                                 st.address, version, st.detail);
    if (st.running) any = true;
    if (!st.serving && st.detail != "not built") all_serving = false;
  }
  if (!any) {
    std::cerr << "peelctl: the suite is not running; start it with "
                 "`peelctl up --data_dir="
              << suite.data_dir << "`\n";
    return kExitNotRunning;
  }
  if (!all_serving) {
    std::cerr << "peelctl: not every service is serving; `peelctl up "
                 "--data_dir="
              << suite.data_dir << "` starts what is down\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> SuiteCommands() {
  return {
      {"up",
       "up [--data_dir=DIR] [--policy=FILE]",
       "start every service that is not running and wait until each serves",
       "Each service runs in the background with its embedded store under\n"
       "DIR/<service>/store, its chosen port in DIR/<service>/port, its pid "
       "in\n"
       "DIR/<service>/pid and its log in DIR/<service>/log. Services already\n"
       "running are reused, so `up` is safe to repeat. The gateway is started\n"
       "last, pointed at the store services.\n",
       {"policy"},
       0,
       0,
       &RunUp},
      {"down",
       "down [--data_dir=DIR]",
       "stop every service (SIGTERM, then SIGKILL after 30 s)",
       "The gateway stops first, then the store services. Data stays in DIR;\n"
       "`peelctl up` starts the suite again on it.\n",
       {},
       0,
       0,
       &RunDown},
      {"status", "status [--data_dir=DIR]",
       "each service's health, address and data version",
       "Exits 0 when every service is serving, 1 when one is down or not\n"
       "serving (`up` starts what is down), and 3 when nothing is running.\n",
       WithConnectionFlags({}), 0, 0, &RunStatus},
  };
}

}  // namespace peel::peelctl
