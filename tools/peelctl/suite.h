#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Starting and stopping the suite on one machine: each binary with its
// embedded store under one data folder, its port, pid and log beside it:
//   DIR/<service>/store  DIR/<service>/port  DIR/<service>/pid
//   DIR/<service>/log
namespace peel::peelctl {

struct ServiceSpec {
  std::string name;          // binary and folder name, e.g. crime-recording
  std::string health_name;   // full gRPC service name
  std::string gateway_flag;  // the gateway's flag naming this backend
};

// The store services in start order, then the gateway.
const std::vector<ServiceSpec>& Services();

struct SuiteOptions {
  std::string data_dir;
  std::string bin_dir;  // folder holding services/<name>/<name>
  std::string policy;   // the gateway's grading policy textproto
};

// Starts every service not already running; waits for each health check.
absl::Status Up(const SuiteOptions& options);
// SIGTERM to each running service, waiting for it to exit.
absl::Status Down(const SuiteOptions& options);

struct ServiceStatus {
  std::string name;
  bool running = false;
  bool serving = false;
  std::string address;
  uint64_t data_version = 0;
  std::string detail;
};
std::vector<ServiceStatus> Status(const SuiteOptions& options);

// "127.0.0.1:PORT" of a running service, or UNAVAILABLE saying how to start.
absl::StatusOr<std::string> AddressOf(const SuiteOptions& options,
                                      const std::string& service);

// The default bin dir: the build tree this peelctl was built in.
std::string DefaultBinDir();
// The grading policy in the source tree peelctl was built from.
std::string DefaultPolicyPath();

}  // namespace peel::peelctl
