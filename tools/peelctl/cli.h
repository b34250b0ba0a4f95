// peelctl's command line: a table of commands, each naming the flags it
// takes, parsed without absl::ParseCommandLine so that every mistake is a
// usage error (exit 2) with a message, and `--help` is an answer (exit 0),
// never a failure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {

// Exit codes scripts can rely on (docs/peelctl.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotRunning = 3;
inline constexpr int kExitRejected = 4;

struct FlagSpec {
  const char* name;
  const char* default_value;
  const char* help;
  bool boolean = false;
};

// Every flag any command takes.
const std::vector<FlagSpec>& AllFlags();

struct Invocation {
  std::string command;
  std::vector<std::string> args;
  std::map<std::string, std::string> flags;  // given on the command line
  bool help = false;                         // --help or -h anywhere

  // The flag's value, or its default.
  std::string Flag(const std::string& name) const;
  bool BoolFlag(const std::string& name) const;
  SuiteOptions Suite() const;
};

struct Command {
  const char* name;
  const char* synopsis;  // "assess FORCE [--period=P] [--format=text|json]"
  const char* summary;   // one line for the command list
  const char* details;   // the rest of `peelctl help NAME`
  std::vector<const char*> flags;  // besides the global --data_dir, --bin_dir
  int min_args = 0;
  int max_args = 0;
  int (*run)(const Invocation&) = nullptr;
};

// argv minus the program name -> invocation. InvalidArgument names the
// mistake: an unknown flag, a flag the command does not take, a bad bool.
// Commands are looked up in `commands`; "help" is always known.
absl::Status ParseInvocation(const std::vector<std::string>& argv,
                             const std::vector<Command>& commands,
                             Invocation* out);

const Command* FindCommand(const std::vector<Command>& commands,
                           const std::string& name);

// The overview (`peelctl --help`) and one command's help.
std::string OverviewHelp(const std::vector<Command>& commands);
std::string CommandHelp(const Command& command);

// Prints the status's message to stderr and maps its code to an exit code:
// UNAVAILABLE -> 3 (the suite or a service is not running), else 1.
int ExitFor(const absl::Status& status);

}  // namespace peel::peelctl
