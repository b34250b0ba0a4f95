#include "common/server/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(int, port, 0, "gRPC port; 0 picks a free port");
ABSL_FLAG(std::string, port_file, "",
          "if set, the chosen port is written to this file once serving");
ABSL_FLAG(std::string, data_dir, "",
          "folder of the service's RocksDB store (created if missing)");
ABSL_FLAG(std::string, listen_host, "0.0.0.0", "address to listen on");
ABSL_FLAG(int, block_cache_mb, 64, "RocksDB block cache size in MiB");
ABSL_FLAG(bool, sync_wal, false,
          "fsync the write-ahead log before acknowledging each batch");
ABSL_FLAG(int, max_message_mb, 16,
          "largest request message accepted, in MiB (RESOURCE_EXHAUSTED "
          "above)");
ABSL_FLAG(int, drain_seconds, 10,
          "on SIGTERM, how long in-flight calls get to finish");
ABSL_FLAG(int, metrics_port, 0,
          "if not 0, Prometheus metrics are served over HTTP on this port "
          "(GET /metrics), on --listen_host");
ABSL_FLAG(bool, reflection, true,
          "serve grpc.reflection.v1alpha (grpcurl list/describe); with "
          "--noreflection clients use tools/peel.protoset");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM server certificate chain; with --tls_key serves TLS instead "
          "of plaintext");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA bundle; when set, clients must present a certificate "
          "signed by it (mutual TLS)");
ABSL_FLAG(bool, authz, false,
          "refuse calls the role policy does not allow (docs/SECURITY.md): "
          "the caller is a bearer token or the client certificate's CN");
ABSL_FLAG(std::string, auth_token_key_file, "",
          "file holding the HMAC-SHA256 key bearer tokens are verified "
          "with; empty: bearer tokens are refused");
ABSL_FLAG(std::string, audit_log, "",
          "append one JSON line per write (caller, method, forces, record "
          "ids) to this file; relative to --data_dir; empty: no audit log");
ABSL_FLAG(int, health_port, 0,
          "with TLS: also listen on this port without TLS, answering only "
          "grpc.health.v1.Health (for Kubernetes gRPC probes); 0: none");

namespace peel::server {

store::StoreOptions StoreOptionsFromFlags() {
  store::StoreOptions o;
  o.path = absl::GetFlag(FLAGS_data_dir);
  o.block_cache_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_block_cache_mb))
                        << 20;
  o.sync_writes = absl::GetFlag(FLAGS_sync_wal);
  return o;
}

}  // namespace peel::server
