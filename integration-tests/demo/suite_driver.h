#pragma once

#include <cstdint>
#include <string>
#include <vector>

// Drives the suite as a user does, through the peelctl and peel-demo
// binaries: up/down on a data folder, the demo data set, and its
// imports.txt lines through `peelctl import`.
namespace peel::demo::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` with /bin/sh, capturing its output.
CommandResult RunCommand(const std::string& command);

// The counts `peelctl import` prints: "KIND: N rows, A accepted,
// D duplicate, R rejected".
struct ImportLine {
  std::string kind, file, flags;
  int exit_code = -1;
  std::string output;
  int64_t rows = -1, accepted = -1, duplicates = -1, rejected = -1;
};

// Every `KIND FILE [FLAGS]` line of DIR/imports.txt, in order.
std::vector<ImportLine> ReadManifest(const std::string& demo_dir);

// Imports each line with `peelctl` against the suite in `data_dir`.
void ImportAll(const std::string& peelctl, const std::string& data_dir,
               const std::string& demo_dir, std::vector<ImportLine>* lines);

// "127.0.0.1:PORT" of a service started by `peelctl up`.
std::string AddressOf(const std::string& data_dir, const std::string& service);

}  // namespace peel::demo::testing
