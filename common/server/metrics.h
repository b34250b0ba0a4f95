#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grpc {
class ServerBuilder;
namespace experimental {
class ServerInterceptorFactoryInterface;
}
}  // namespace grpc

// Prometheus metrics of one server process, in the text exposition format
// (version 0.0.4), served over plain HTTP on a port of their own so a scraper
// never needs gRPC and never competes with gRPC traffic.
//
// What is exported (names follow go-grpc-prometheus so existing dashboards
// work):
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{...,le} (histogram; for streams: the
//       stream's whole duration)
//   peel_records_ingested_total{grpc_service,grpc_method,result} counted from
//       every BatchAck an ingest stream sends (accepted/duplicate/rejected)
//   peel_store_bytes: size on disk of the --data_dir folder, at scrape time
//   plus any gauge a service sets with SetGauge / AddGaugeCallback.
namespace peel::server {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `method` is gRPC's full name, "/package.Service/Method"; `type` one of
  // unary, client_stream, server_stream, bidi_stream.
  void RpcStarted(absl::string_view method, absl::string_view type);
  void RpcHandled(absl::string_view method, absl::string_view type,
                  int grpc_code, double seconds);
  void RecordsIngested(absl::string_view method, int64_t accepted,
                       int64_t duplicates, int64_t rejected);

  // A gauge a service sets (e.g. peel_store_approximate_bytes from
  // Store::ApproximateBytes). `name` must be a valid Prometheus name.
  void SetGauge(absl::string_view name, absl::string_view help, double value);
  // A gauge computed at each scrape. Replaces an earlier one of that name.
  void AddGaugeCallback(absl::string_view name, absl::string_view help,
                        std::function<double()> read);

  // The whole exposition, every family with its # HELP and # TYPE lines.
  std::string Render() const;

  // Upper bounds of the latency histogram, in seconds (+Inf is implied).
  static const double kLatencyBuckets[];
  static const int kLatencyBucketCount;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The process's metrics: what the interceptor installed by RunServer feeds.
Metrics& ProcessMetrics();

// Adds the interceptor that feeds `metrics` with every call to the server
// being built, after the interceptors in `before` (ServerBuilder keeps one
// list). Call once per builder, before BuildAndStart.
void InstallMetricsInterceptor(
    grpc::ServerBuilder* builder, Metrics* metrics,
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        before = {});

// A minimal HTTP/1.1 endpoint: GET /metrics answers metrics->Render(), any
// other path 404, any other method 405. One connection at a time (Prometheus
// scrapes are rare and small); each connection is closed after its answer.
class MetricsHttpServer {
 public:
  // port 0 picks a free port (see port()).
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& host, int port, const Metrics* metrics);
  ~MetricsHttpServer();  // stops accepting and joins the thread

  int port() const { return port_; }

 private:
  MetricsHttpServer() = default;
  void Serve();

  struct Thread;
  const Metrics* metrics_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::unique_ptr<Thread> thread_;
};

// Bytes of regular files under `path`, recursively (0 when missing).
uint64_t DirectoryBytes(const std::string& path);

}  // namespace peel::server
