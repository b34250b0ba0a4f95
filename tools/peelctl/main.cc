// peelctl: run the suite locally, load data, read the assessment.
// The commands live in one file per group (*_command(s).cc); this file only
// parses and dispatches. Exit codes: tools/peelctl/cli.h, docs/peelctl.md.
#include <iostream>
#include <string>
#include <vector>

#include "tools/peelctl/backup_command.h"
#include "tools/peelctl/cli.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"

int main(int argc, char** argv) {
  using namespace peel::peelctl;  // NOLINT(build/namespaces)
  std::vector<Command> commands;
  for (auto group : {SuiteCommands, ImportCommands, AssessCommands,
                     ReportCommands, CrimeRecordingCommands, BackupCommands}) {
    for (auto& c : group()) commands.push_back(std::move(c));
  }
  Invocation inv;
  absl::Status parsed = ParseInvocation(
      std::vector<std::string>(argv + 1, argv + argc), commands, &inv);
  if (!parsed.ok()) {
    std::cerr << "peelctl: " << parsed.message() << "\n";
    return kExitUsage;
  }
  if (inv.command.empty() || (inv.command == "help" && inv.args.empty())) {
    if (!inv.help && inv.command.empty()) {
      std::cerr << OverviewHelp(commands);
      return kExitUsage;
    }
    std::cout << OverviewHelp(commands);
    return kExitOk;
  }
  const std::string name = inv.command == "help" ? inv.args[0] : inv.command;
  const Command* command = FindCommand(commands, name);
  if (inv.help || inv.command == "help") {
    std::cout << CommandHelp(*command);
    return kExitOk;
  }
  if (absl::Status s = ConfigureConnection(inv); !s.ok()) {
    std::cerr << "peelctl: " << s.message() << "\n";
    return kExitUsage;
  }
  return command->run(inv);
}
