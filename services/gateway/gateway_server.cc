#include "services/gateway/gateway_server.h"

#include <signal.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/util/log.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"

namespace peel::gateway {
namespace {

absl::Status WritePortFile(const std::string& path, int port) {
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

}  // namespace

absl::Status RunGatewayServer(const server::ServerOptions& options,
                              const std::vector<grpc::Service*>& services,
                              const StartedHook& on_started) {
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int port = 0;
  const std::string address =
      options.listen_host.find(':') != std::string::npos
          ? absl::StrCat("[", options.listen_host, "]:", options.port)
          : absl::StrCat(options.listen_host, ":", options.port);
  auto credentials = server::MakeServerCredentials(options.tls);
  if (!credentials.ok()) return credentials.status();
  builder.AddListeningPort(address, *credentials, &port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  for (grpc::Service* s : services) builder.RegisterService(s);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  auto* health = server->GetHealthCheckService();
  std::shared_ptr<void> hook;
  if (on_started) hook = on_started(server.get());
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

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  log::Info(absl::StrCat("signal ", signal_number, ": draining for up to ",
                         absl::FormatDuration(options.drain)));
  hook.reset();
  health->SetServingStatus(options.service_name, false);
  health->SetServingStatus("", false);
  health->Shutdown();
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoMilliseconds(options.drain));
  server->Wait();
  log::Info(absl::StrCat(options.service_name, " stopped"));
  return absl::OkStatus();
}

}  // namespace peel::gateway
