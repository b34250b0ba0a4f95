#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "common/server/server_runner.h"

namespace grpc {
class Server;
}

namespace peel::gateway {

// common/server/server_runner.h's RunServer, plus a hook that runs once the
// server is serving (the gateway needs the server's health service to report
// its backends) and is torn down before the server stops. Candidate for a
// common/ change: RunServer with an `on_started` hook.
using StartedHook = std::function<std::shared_ptr<void>(grpc::Server*)>;

absl::Status RunGatewayServer(const server::ServerOptions& options,
                              const std::vector<grpc::Service*>& services,
                              const StartedHook& on_started);

}  // namespace peel::gateway
