#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace grpc {
class Service;
}

namespace peel::server {

struct ServerOptions {
  std::string service_name;  // full name, e.g. peel.soc.v1.SocDisruptionService
  std::string listen_host = "0.0.0.0";
  int port = 0;           // 0: the kernel picks a free port
  std::string port_file;  // written with the chosen port once serving
  int max_message_bytes = 16 << 20;
  absl::Duration drain = absl::Seconds(10);
};

// Blocks SIGTERM/SIGINT in this and every thread started afterwards, so the
// runner can wait for them synchronously. Call first thing in main(), before
// opening the store (RocksDB starts threads).
void BlockShutdownSignals();

// Builds the server with health checking and reflection, registers
// `services`, starts listening, marks `service_name` SERVING and waits for
// SIGTERM or SIGINT; then marks NOT_SERVING, drains in-flight calls for up to
// `drain`, and returns. `on_shutdown` runs after the server stopped.
absl::Status RunServer(const ServerOptions& options,
                       const std::vector<grpc::Service*>& services,
                       const std::function<void()>& on_shutdown = nullptr);

// Reads the common flags (common/server/flags.h) into options.
ServerOptions OptionsFromFlags(std::string service_name);

}  // namespace peel::server
