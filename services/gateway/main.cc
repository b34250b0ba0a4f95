// gateway: the assessment gateway. Fans out to the store services and owns
// the recorded judgments and findings.
#include <algorithm>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/server/flags.h"
#include "common/server/server_runner.h"
#include "common/server/tls.h"
#include "common/server/version_push.h"
#include "common/util/log.h"
#include "grpcpp/grpcpp.h"
#include "services/gateway/backend_health.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/policy.h"
#include "services/gateway/service.h"
#include "services/gateway/store.h"

ABSL_FLAG(std::string, crime_recording_addr, "",
          "crime-recording shards: ADDRESS or FORCE+FORCE@ADDRESS, "
          "comma-separated (one shard may omit the forces: it owns the rest)");
ABSL_FLAG(std::string, victim_service_addr, "",
          "victim-service shards (same syntax)");
ABSL_FLAG(std::string, workforce_addr, "", "workforce shards (same syntax)");
ABSL_FLAG(std::string, soc_disruptions_addr, "",
          "soc-disruptions shards (same syntax)");
ABSL_FLAG(std::string, policy, "",
          "grading policy textproto (services/gateway/policy/"
          "peel-2021-22.textproto); refused at start when invalid");
ABSL_FLAG(int, backend_timeout_ms, 2000,
          "deadline of backend calls when the caller sets none");
ABSL_FLAG(std::string, backend_tls_cert, "",
          "PEM client certificate the gateway presents to the store "
          "services (mutual TLS); with --backend_tls_key");
ABSL_FLAG(std::string, backend_tls_key, "", "PEM key of --backend_tls_cert");
ABSL_FLAG(std::string, backend_tls_ca, "",
          "PEM CA the store services' certificates are verified against; "
          "set (alone or with a client certificate) to call them over TLS");
ABSL_FLAG(int, assessment_cache_entries, 4096,
          "whole assessments cached, each validated against every backend's "
          "data version on every call; 0 turns the cache off");
ABSL_FLAG(int, version_lease_ms, 100,
          "subscribe to every backend shard's pushed data version and use "
          "it without asking for this long after each answered ping (the "
          "shards hold write acknowledgements until the gateway confirms, "
          "at most this long); 0: ask every shard on every assessment");
ABSL_FLAG(int, version_ping_ms, 10,
          "how often each shard's version subscription is pinged (renewing "
          "the lease); below --version_lease_ms");
ABSL_FLAG(int, health_interval_ms, 2000,
          "how often the backends' health is checked and reported");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves peel.gateway.v1.AssessmentGateway over gRPC.\n"
      "  gateway --data_dir=DIR --policy=FILE --crime_recording_addr=HOST:PORT "
      "[--victim_service_addr=...] [--workforce_addr=...] "
      "[--soc_disruptions_addr=...] [--port=50050]");
  absl::ParseCommandLine(argc, argv);
  peel::server::BlockShutdownSignals();
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles
  // (a profile of GetForceAssessment showed it); the gateway's locks are
  // leaf locks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  namespace gw = peel::gateway;

  const std::string policy_path = absl::GetFlag(FLAGS_policy);
  if (policy_path.empty()) {
    peel::log::Error("--policy is required (a grading policy textproto)");
    return EXIT_FAILURE;
  }
  auto policy = gw::LoadPolicyFile(policy_path);
  if (!policy.ok()) {
    peel::log::Error(
        absl::StrCat("refusing to start: ", policy.status().message()));
    return EXIT_FAILURE;
  }

  auto backend_credentials = peel::server::MakeChannelCredentials(
      {absl::GetFlag(FLAGS_backend_tls_cert),
       absl::GetFlag(FLAGS_backend_tls_key),
       absl::GetFlag(FLAGS_backend_tls_ca)},
      "backend_tls");
  if (!backend_credentials.ok()) {
    peel::log::Error(absl::StrCat("refusing to start: ",
                                  backend_credentials.status().message()));
    return EXIT_FAILURE;
  }

  gw::Wiring wiring;
  const std::pair<gw::v1::Backend, std::string> addrs[] = {
      {gw::v1::CRIME_RECORDING, absl::GetFlag(FLAGS_crime_recording_addr)},
      {gw::v1::VICTIM_SERVICE, absl::GetFlag(FLAGS_victim_service_addr)},
      {gw::v1::WORKFORCE, absl::GetFlag(FLAGS_workforce_addr)},
      {gw::v1::SOC_DISRUPTIONS, absl::GetFlag(FLAGS_soc_disruptions_addr)},
  };
  for (const auto& [backend, text] : addrs) {
    auto specs = gw::ParseShardSpecs(text, gw::BackendOf(backend).flag);
    if (!specs.ok()) {
      peel::log::Error(
          absl::StrCat("refusing to start: ", specs.status().message()));
      return EXIT_FAILURE;
    }
    wiring.pools[backend] = std::make_unique<gw::BackendPool>(
        backend, std::move(*specs), *backend_credentials);
  }
  const int lease_ms = absl::GetFlag(FLAGS_version_lease_ms);
  const int ping_ms = absl::GetFlag(FLAGS_version_ping_ms);
  const int max_lease_ms = static_cast<int>(peel::server::kMaxLeaseMs);
  if (lease_ms < 0 || lease_ms > max_lease_ms ||
      (lease_ms > 0 && (ping_ms < 1 || ping_ms >= lease_ms))) {
    peel::log::Error(absl::StrCat(
        "refusing to start: --version_lease_ms=", lease_ms,
        " must be from 0 (off) to ", max_lease_ms,
        ", and --version_ping_ms=", ping_ms, " from 1 to below it"));
    return EXIT_FAILURE;
  }
  if (lease_ms > 0) {
    gw::VersionWatchOptions watch;
    watch.lease = std::chrono::milliseconds(lease_ms);
    watch.ping_every = std::chrono::milliseconds(ping_ms);
    for (auto& [backend, pool] : wiring.pools) pool->WatchVersions(watch);
  }
  for (auto& adapter : gw::MakeAdapters()) {
    const auto backend = adapter->backend();
    wiring.adapters[backend] = std::move(adapter);
  }

  auto store_options = peel::server::StoreOptionsFromFlags();
  auto store = gw::JudgmentsStore::Open(store_options);
  if (!store.ok()) {
    peel::log::Error(
        absl::StrCat("cannot open store: ", store.status().ToString()));
    return EXIT_FAILURE;
  }

  gw::GatewayOptions options;
  options.backend_timeout =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_backend_timeout_ms));
  options.assessment_cache_entries = static_cast<size_t>(
      std::max(0, absl::GetFlag(FLAGS_assessment_cache_entries)));
  gw::AssessmentGatewayImpl service(store->get(), &wiring, std::move(*policy),
                                    options);
  const auto interval =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_health_interval_ms));
  // The common bootstrap (health, reflection, metrics on --metrics_port);
  // once serving, the backends' health is reported beside the gateway's.
  absl::Status status = peel::server::RunServer(
      peel::server::OptionsFromFlags(gw::kServiceName), {&service},
      /*on_shutdown=*/nullptr,
      [&](grpc::Server* server) -> std::shared_ptr<void> {
        return std::make_shared<gw::BackendHealthReporter>(
            &wiring, server->GetHealthCheckService(), interval);
      });
  if (!status.ok()) {
    peel::log::Error(status.ToString());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
