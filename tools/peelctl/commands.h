// The command groups of peelctl; main.cc strings them together. Each
// command's handler returns its exit code (tools/peelctl/cli.h).
#pragma once

#include <string>
#include <vector>

#include "peel/common/v1/common.pb.h"
#include "tools/peelctl/cli.h"

namespace peel::peelctl {

std::vector<Command> SuiteCommands();           // up, down, status
std::vector<Command> ImportCommands();          // import, kinds
std::vector<Command> AssessCommands();          // assess, compare, metrics
std::vector<Command> ReportCommands();          // report
std::vector<Command> CrimeRecordingCommands();  // estimate

// For the commands that ask the gateway: --period parsed and the gateway's
// address. False when either fails, with the message printed and *exit_code
// set (2: a bad --period; 3: the gateway is not running).
bool GatewayAndPeriod(const Invocation& inv, std::string* address,
                      peel::common::v1::Period* period, int* exit_code);

}  // namespace peel::peelctl
