#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/options.h"
#include "common/server/tls.h"

namespace grpc {
class Server;
class Service;
class ServerBuilder;
namespace experimental {
class ServerInterceptorFactoryInterface;
}
}  // namespace grpc

namespace peel::server {

struct ServerOptions {
  std::string service_name;  // full name, e.g. peel.soc.v1.SocDisruptionService
  std::string listen_host = "0.0.0.0";
  int port = 0;           // 0: the kernel picks a free port
  std::string port_file;  // written with the chosen port once serving
  int max_message_bytes = 16 << 20;
  absl::Duration drain = absl::Seconds(10);
  int metrics_port = 0;    // 0: no metrics endpoint
  std::string data_dir;    // its size on disk is exported as peel_store_bytes
  TlsFiles tls;            // --tls_cert/--tls_key/--tls_ca; empty: plaintext
  bool reflection = true;  // --reflection: serve grpc.reflection.v1alpha
  int health_port = 0;     // with TLS: a plaintext port answering health only
  // --authz, --auth_token_key_file, --audit_log; a service adds its id ->
  // force lookups to auth.force_of_id (common/auth/message_fields.h).
  auth::AuthOptions auth;
  // The service's data version (what its GetDataVersion reports). When
  // set, peel.admin.v1.Admin/WatchDataVersion pushes it to subscribers
  // (the gateway) and every write's acknowledgement waits for them
  // (version_push.h).
  std::function<uint64_t()> data_version;
};

class MetricsHttpServer;

// Blocks SIGTERM/SIGINT in this and every thread started afterwards, so the
// runner can wait for them synchronously. Call first thing in main(), before
// opening the store (RocksDB starts threads).
void BlockShutdownSignals();

// Runs once the server is listening, before it is marked SERVING (e.g. to
// report more names in its health service). What it returns is destroyed
// when shutdown starts, before the server stops.
using StartedHook = std::function<std::shared_ptr<void>(grpc::Server*)>;

// Builds the server with health checking and reflection, registers
// `services` and peel.admin.v1.Admin (admin_service.h), starts listening, runs
// `on_started`, marks `service_name` SERVING and waits for SIGTERM or SIGINT;
// then marks NOT_SERVING, drains in-flight calls for up to `drain`, and
// returns. `on_shutdown` runs after the server stopped.
absl::Status RunServer(const ServerOptions& options,
                       const std::vector<grpc::Service*>& services,
                       const std::function<void()>& on_shutdown = nullptr,
                       const StartedHook& on_started = nullptr);

// When options.metrics_port is not 0: installs the metrics interceptor on
// `builder` (feeding ProcessMetrics()), exports the size of data_dir, and
// starts the HTTP endpoint, which serves until the returned object is
// destroyed. Returns null when metrics are off. RunServer calls it; a runner
// with its own ServerBuilder calls it before BuildAndStart. The interceptors
// in `before` (SecurityInterceptors) are installed ahead of the metrics one,
// metrics on or off.
using InterceptorFactories = std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>;
absl::StatusOr<std::unique_ptr<MetricsHttpServer>> StartMetrics(
    const ServerOptions& options, grpc::ServerBuilder* builder,
    InterceptorFactories before = {});

// With options.health_port: listens on it too, without TLS (Kubernetes'
// gRPC probes cannot speak TLS); the security interceptor then refuses every
// plaintext call but health. Call after the main AddListeningPort.
absl::Status AddHealthPort(const ServerOptions& options,
                           grpc::ServerBuilder* builder);

// The authorisation and audit interceptor of options.auth (common/auth), or
// none when both are off; InvalidArgument for an unreadable key or log file.
absl::StatusOr<InterceptorFactories> SecurityInterceptors(
    const ServerOptions& options);

// Reads the common flags (common/server/flags.h) into options.
ServerOptions OptionsFromFlags(std::string service_name);

}  // namespace peel::server
