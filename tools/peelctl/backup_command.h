// peelctl backup / restore: RocksDB checkpoints of every store of a local
// suite (docs/RELIABILITY.md, "Backup and restore").
//
//   backup --out=DIR     asks each running service (Admin.CreateCheckpoint)
//                        for a checkpoint in DIR/<service>, while the suite
//                        keeps serving; writes DIR/MANIFEST.
//   restore --from=DIR   with the suite down, copies DIR/<service> into a
//                        fresh data folder's <service>/store.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/peelctl/cli.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {

struct BackedUp {
  std::string service;
  uint64_t data_version = 0;
  uint64_t bytes = 0;
};

// Every service of Services() must be running. `out` must not exist (or be
// an empty folder). UNAVAILABLE when a service is not running.
absl::StatusOr<std::vector<BackedUp>> Backup(const SuiteOptions& suite,
                                             const std::string& out);

// No service of the suite may be running, and no <service>/store of the
// data folder may hold data. Restores every service found in `from`;
// returns their names.
absl::StatusOr<std::vector<std::string>> Restore(const SuiteOptions& suite,
                                                 const std::string& from);

std::vector<Command> BackupCommands();  // backup, restore

}  // namespace peel::peelctl
