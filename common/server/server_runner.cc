#include "common/server/server_runner.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/auth/interceptor.h"
#include "common/server/admin_service.h"
#include "common/server/flags.h"
#include "common/server/metrics.h"
#include "common/server/version_push.h"
#include "common/util/log.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"

namespace peel::server {
namespace {

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

absl::Status WritePortFile(const std::string& path, int port) {
  // Write then rename, so a reader never sees a half-written file.
  const std::string tmp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename to ", path));
  }
  return absl::OkStatus();
}

// Drops the reflection plugin, which linking grpc++_reflection registers
// for every server (--noreflection).
class WithoutReflection : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [](const auto& p) {
                                    return p->name() ==
                                           "proto_server_reflection";
                                  }),
                   plugins->end());
  }
};

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServerOptions OptionsFromFlags(std::string service_name) {
  ServerOptions o;
  o.service_name = std::move(service_name);
  o.listen_host = absl::GetFlag(FLAGS_listen_host);
  o.port = absl::GetFlag(FLAGS_port);
  o.port_file = absl::GetFlag(FLAGS_port_file);
  o.max_message_bytes = absl::GetFlag(FLAGS_max_message_mb) << 20;
  o.drain = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  o.metrics_port = absl::GetFlag(FLAGS_metrics_port);
  o.data_dir = absl::GetFlag(FLAGS_data_dir);
  o.tls = {absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
           absl::GetFlag(FLAGS_tls_ca)};
  o.reflection = absl::GetFlag(FLAGS_reflection);
  o.health_port = absl::GetFlag(FLAGS_health_port);
  o.auth.plaintext_health_only = o.tls.enabled() && o.health_port != 0;
  o.auth.authz = absl::GetFlag(FLAGS_authz);
  o.auth.token_key_file = absl::GetFlag(FLAGS_auth_token_key_file);
  o.auth.audit_log = absl::GetFlag(FLAGS_audit_log);
  // A relative audit log lives in the data folder.
  if (!o.auth.audit_log.empty() && o.auth.audit_log[0] != '/' &&
      !o.data_dir.empty()) {
    o.auth.audit_log = absl::StrCat(o.data_dir, "/", o.auth.audit_log);
  }
  return o;
}

absl::Status AddHealthPort(const ServerOptions& options,
                           grpc::ServerBuilder* builder) {
  if (options.health_port == 0) return absl::OkStatus();
  if (options.health_port < 0 || options.health_port > 65535 ||
      options.health_port == options.port) {
    return absl::InvalidArgumentError(
        absl::StrCat("--health_port=", options.health_port,
                     " must be a port from 1 to 65535 other than --port"));
  }
  if (!options.tls.enabled()) {
    return absl::InvalidArgumentError(
        "--health_port is for servers with TLS (--tls_cert): without it the "
        "main port answers health already");
  }
  const std::string host = options.listen_host.find(':') != std::string::npos
                               ? absl::StrCat("[", options.listen_host, "]")
                               : options.listen_host;
  builder->AddListeningPort(absl::StrCat(host, ":", options.health_port),
                            grpc::InsecureServerCredentials());
  return absl::OkStatus();
}

absl::StatusOr<InterceptorFactories> SecurityInterceptors(
    const ServerOptions& options) {
  InterceptorFactories out;
  auto auth = auth::MakeAuthInterceptorFactory(options.auth);
  if (!auth.ok()) return auth.status();
  if (*auth) out.push_back(std::move(*auth));
  return out;
}

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> StartMetrics(
    const ServerOptions& options, grpc::ServerBuilder* builder,
    InterceptorFactories before) {
  if (options.metrics_port == 0) {
    if (!before.empty()) {
      builder->experimental().SetInterceptorCreators(std::move(before));
    }
    return nullptr;
  }
  if (options.metrics_port < 0 || options.metrics_port > 65535 ||
      options.metrics_port == options.port) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics_port=", options.metrics_port,
                     " must be a port from 1 to 65535 other than --port"));
  }
  Metrics& metrics = ProcessMetrics();
  if (!options.data_dir.empty()) {
    const std::string dir = options.data_dir;
    metrics.AddGaugeCallback(
        "peel_store_bytes", "Size on disk of the service's RocksDB folder.",
        [dir] { return static_cast<double>(DirectoryBytes(dir)); });
  }
  auto endpoint = MetricsHttpServer::Start(options.listen_host,
                                           options.metrics_port, &metrics);
  if (!endpoint.ok()) return endpoint.status();
  InstallMetricsInterceptor(builder, &metrics, std::move(before));
  log::Info(absl::StrCat("metrics on http://", options.listen_host, ":",
                         (*endpoint)->port(), "/metrics"));
  return endpoint;
}

absl::Status RunServer(const ServerOptions& options,
                       const std::vector<grpc::Service*>& services,
                       const std::function<void()>& on_shutdown,
                       const StartedHook& on_started) {
  // Referencing a health descriptor keeps health.proto in the binary, so
  // reflection can describe grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  if (!options.reflection) {
    builder.SetOption(std::make_unique<WithoutReflection>());
  }
  int port = 0;
  const std::string address =
      options.listen_host.find(':') != std::string::npos
          ? absl::StrCat("[", options.listen_host, "]:", options.port)
          : absl::StrCat(options.listen_host, ":", options.port);
  auto credentials = MakeServerCredentials(options.tls);
  if (!credentials.ok()) return credentials.status();
  builder.AddListeningPort(address, *credentials, &port);
  if (absl::Status s = AddHealthPort(options, &builder); !s.ok()) return s;
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  for (grpc::Service* s : services) builder.RegisterService(s);
  // Outlives the server (declared before it): holds write acknowledgements.
  std::unique_ptr<VersionBroadcaster> versions;
  if (options.data_version) {
    versions = std::make_unique<VersionBroadcaster>(options.data_version);
  }
  // Checkpoints of the store (peelctl backup), pushed data versions.
  AdminServiceImpl admin(versions.get());
  builder.RegisterService(&admin);
  auto security = SecurityInterceptors(options);
  if (!security.ok()) return security.status();
  if (versions) {
    security->push_back(MakeWriteAckInterceptorFactory(versions.get()));
  }
  auto metrics = StartMetrics(options, &builder, std::move(*security));
  if (!metrics.ok()) return metrics.status();

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  auto* health = server->GetHealthCheckService();
  std::shared_ptr<void> started;
  if (on_started) started = on_started(server.get());
  health->SetServingStatus(options.service_name, true);
  health->SetServingStatus("", true);
  if (!options.port_file.empty()) {
    absl::Status s = WritePortFile(options.port_file, port);
    if (!s.ok()) {
      server->Shutdown();
      return s;
    }
  }
  log::Info(absl::StrCat(options.service_name, " serving on ",
                         options.listen_host, ":", port));

  sigset_t set = ShutdownSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  log::Info(absl::StrCat("signal ", signal_number, ": draining for up to ",
                         absl::FormatDuration(options.drain)));

  started.reset();
  health->SetServingStatus(options.service_name, false);
  health->SetServingStatus("", false);
  server->GetHealthCheckService()->Shutdown();
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoMilliseconds(options.drain));
  server->Wait();
  if (on_shutdown) on_shutdown();
  log::Info(absl::StrCat(options.service_name, " stopped"));
  return absl::OkStatus();
}

}  // namespace peel::server
