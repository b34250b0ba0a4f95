#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

// Runs a real server binary for an integration test: port 0, the chosen
// port read back from --port_file, a bounded wait for the service's health
// to be SERVING, SIGTERM then SIGKILL, and the log kept for failures.
namespace grpc {
class ChannelCredentials;
}

namespace peel::testing {

struct ServerProcessOptions {
  std::string binary;        // absolute path
  std::string service_name;  // health name to wait for
  std::string data_dir;      // passed as --data_dir unless empty
  std::string work_dir;      // port file and log go here
  std::vector<std::string> extra_args;
  absl::Duration start_timeout = absl::Seconds(30);
  // For the health wait when the server runs TLS (null: plaintext).
  std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr;
};

class ServerProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const ServerProcessOptions& options);
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // SIGTERM and wait (up to `grace`, then SIGKILL). Returns the exit code,
  // or 128 + signal when killed.
  int Terminate(absl::Duration grace = absl::Seconds(15));
  // SIGKILL at once, as a crash would.
  void Kill();
  bool running() const { return pid_ > 0; }
  std::string Log() const;

 private:
  ServerProcess() = default;
  int Reap(absl::Duration timeout);

  ServerProcessOptions options_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// User + system CPU seconds process `pid` has used (all its threads,
// RocksDB's background work included), from /proc/<pid>/stat: steadier
// than wall time when other work shares the machine. 0 when unknown.
double ProcessCpuSeconds(pid_t pid);

}  // namespace peel::testing
