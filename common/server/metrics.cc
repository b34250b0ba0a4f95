#include "common/server/metrics.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"
#include "peel/common/v1/common.pb.h"

namespace peel::server {

const double Metrics::kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                           0.025,  0.05,  0.1,    0.25,  0.5,
                                           1,      2.5,   5,      10};
const int Metrics::kLatencyBucketCount =
    sizeof(Metrics::kLatencyBuckets) / sizeof(Metrics::kLatencyBuckets[0]);

namespace {

const char* CodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "Canceled",
                                       "Unknown",
                                       "InvalidArgument",
                                       "DeadlineExceeded",
                                       "NotFound",
                                       "AlreadyExists",
                                       "PermissionDenied",
                                       "ResourceExhausted",
                                       "FailedPrecondition",
                                       "Aborted",
                                       "OutOfRange",
                                       "Unimplemented",
                                       "Internal",
                                       "Unavailable",
                                       "DataLoss",
                                       "Unauthenticated"};
  if (code < 0 || code > 16) return "Unknown";
  return kNames[code];
}

// "/pkg.Service/Method" -> ("pkg.Service", "Method").
std::pair<std::string, std::string> SplitMethod(absl::string_view full) {
  if (!full.empty() && full[0] == '/') full.remove_prefix(1);
  const size_t slash = full.find('/');
  if (slash == absl::string_view::npos) return {std::string(full), ""};
  return {std::string(full.substr(0, slash)),
          std::string(full.substr(slash + 1))};
}

// Label values escape backslash, double quote and newline.
std::string Escape(absl::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double v) {
  // Integers print without exponent or trailing zeros; the rest with %g.
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v < 9e15 &&
      v > -9e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  return absl::StrCat(v);
}

struct MethodKey {
  std::string type, service, method;
  bool operator<(const MethodKey& o) const {
    return std::tie(service, method, type) <
           std::tie(o.service, o.method, o.type);
  }
};

struct MethodStats {
  uint64_t started = 0;
  std::map<int, uint64_t> handled;  // by grpc code
  std::vector<uint64_t> buckets;    // non-cumulative, one per bound
  uint64_t count = 0;
  double sum = 0;
};

struct IngestStats {
  int64_t accepted = 0, duplicates = 0, rejected = 0;
};

struct Gauge {
  std::string help;
  double value = 0;
  std::function<double()> read;
};

}  // namespace

struct Metrics::State {
  mutable absl::Mutex mu;
  std::map<MethodKey, MethodStats> methods ABSL_GUARDED_BY(mu);
  std::map<std::pair<std::string, std::string>, IngestStats> ingest
      ABSL_GUARDED_BY(mu);
  std::map<std::string, Gauge> gauges ABSL_GUARDED_BY(mu);
};

Metrics::Metrics() : state_(std::make_unique<State>()) {}
Metrics::~Metrics() = default;

void Metrics::RpcStarted(absl::string_view method, absl::string_view type) {
  auto [service, name] = SplitMethod(method);
  absl::MutexLock lock(&state_->mu);
  state_->methods[{std::string(type), service, name}].started++;
}

void Metrics::RpcHandled(absl::string_view method, absl::string_view type,
                         int grpc_code, double seconds) {
  auto [service, name] = SplitMethod(method);
  absl::MutexLock lock(&state_->mu);
  MethodStats& m = state_->methods[{std::string(type), service, name}];
  m.handled[grpc_code]++;
  if (m.buckets.empty()) m.buckets.assign(kLatencyBucketCount, 0);
  const double* end = kLatencyBuckets + kLatencyBucketCount;
  const double* b = std::lower_bound(kLatencyBuckets, end, seconds);
  if (b != end) m.buckets[b - kLatencyBuckets]++;
  m.count++;
  m.sum += seconds;
}

void Metrics::RecordsIngested(absl::string_view method, int64_t accepted,
                              int64_t duplicates, int64_t rejected) {
  absl::MutexLock lock(&state_->mu);
  IngestStats& s = state_->ingest[SplitMethod(method)];
  s.accepted += accepted;
  s.duplicates += duplicates;
  s.rejected += rejected;
}

void Metrics::SetGauge(absl::string_view name, absl::string_view help,
                       double value) {
  absl::MutexLock lock(&state_->mu);
  Gauge& g = state_->gauges[std::string(name)];
  g.help = std::string(help);
  g.value = value;
  g.read = nullptr;
}

void Metrics::AddGaugeCallback(absl::string_view name, absl::string_view help,
                               std::function<double()> read) {
  absl::MutexLock lock(&state_->mu);
  Gauge& g = state_->gauges[std::string(name)];
  g.help = std::string(help);
  g.read = std::move(read);
}

std::string Metrics::Render() const {
  // Gauge callbacks may be slow (a directory walk): copy them out and run
  // them without the lock.
  std::map<std::string, Gauge> gauges;
  std::map<MethodKey, MethodStats> methods;
  std::map<std::pair<std::string, std::string>, IngestStats> ingest;
  {
    absl::MutexLock lock(&state_->mu);
    gauges = state_->gauges;
    methods = state_->methods;
    ingest = state_->ingest;
  }
  std::string out;
  auto labels = [](const MethodKey& k) {
    return absl::StrCat("grpc_type=\"", Escape(k.type), "\",grpc_service=\"",
                        Escape(k.service), "\",grpc_method=\"",
                        Escape(k.method), "\"");
  };

  absl::StrAppend(&out,
                  "# HELP grpc_server_started_total RPCs started on the "
                  "server.\n# TYPE grpc_server_started_total counter\n");
  for (const auto& [k, m] : methods) {
    absl::StrAppend(&out, "grpc_server_started_total{", labels(k), "} ",
                    m.started, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP grpc_server_handled_total RPCs completed on the "
                  "server, by status code.\n"
                  "# TYPE grpc_server_handled_total counter\n");
  for (const auto& [k, m] : methods) {
    for (const auto& [code, n] : m.handled) {
      absl::StrAppend(&out, "grpc_server_handled_total{", labels(k),
                      ",grpc_code=\"", CodeName(code), "\"} ", n, "\n");
    }
  }
  absl::StrAppend(
      &out,
      "# HELP grpc_server_handling_seconds Time from the call's start to its "
      "status, in seconds.\n# TYPE grpc_server_handling_seconds histogram\n");
  for (const auto& [k, m] : methods) {
    if (m.count == 0) continue;
    uint64_t cumulative = 0;
    for (int i = 0; i < kLatencyBucketCount; ++i) {
      cumulative += m.buckets[i];
      absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels(k),
                      ",le=\"", Number(kLatencyBuckets[i]), "\"} ", cumulative,
                      "\n");
    }
    absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels(k),
                    ",le=\"+Inf\"} ", m.count, "\n");
    absl::StrAppend(&out, "grpc_server_handling_seconds_sum{", labels(k), "} ",
                    Number(m.sum), "\n");
    absl::StrAppend(&out, "grpc_server_handling_seconds_count{", labels(k),
                    "} ", m.count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP peel_records_ingested_total Records answered by "
                  "ingest streams, by result.\n"
                  "# TYPE peel_records_ingested_total counter\n");
  for (const auto& [k, s] : ingest) {
    const std::string l =
        absl::StrCat("grpc_service=\"", Escape(k.first), "\",grpc_method=\"",
                     Escape(k.second), "\"");
    absl::StrAppend(&out, "peel_records_ingested_total{", l,
                    ",result=\"accepted\"} ", s.accepted, "\n");
    absl::StrAppend(&out, "peel_records_ingested_total{", l,
                    ",result=\"duplicate\"} ", s.duplicates, "\n");
    absl::StrAppend(&out, "peel_records_ingested_total{", l,
                    ",result=\"rejected\"} ", s.rejected, "\n");
  }
  for (const auto& [name, g] : gauges) {
    const double v = g.read ? g.read() : g.value;
    absl::StrAppend(&out, "# HELP ", name, " ", g.help, "\n# TYPE ", name,
                    " gauge\n", name, " ", Number(v), "\n");
  }
  return out;
}

Metrics& ProcessMetrics() {
  static Metrics* metrics = new Metrics();
  return *metrics;
}

// ---------------------------------------------------------------------------
// The interceptor: one object per call.

namespace {

const char* TypeName(grpc::experimental::ServerRpcInfo::Type type) {
  using T = grpc::experimental::ServerRpcInfo::Type;
  switch (type) {
    case T::UNARY:
      return "unary";
    case T::CLIENT_STREAMING:
      return "client_stream";
    case T::SERVER_STREAMING:
      return "server_stream";
    case T::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

// True when the method's response type is peel.common.v1.BatchAck, read from
// the compiled-in descriptors, so the interceptor may read the acks it sends.
bool AnswersBatchAcks(absl::string_view method) {
  auto [service, name] = SplitMethod(method);
  const google::protobuf::MethodDescriptor* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrCat(service, ".", name));
  return m != nullptr &&
         m->output_type() == peel::common::v1::BatchAck::descriptor();
}

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(Metrics* metrics, grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics),
        method_(info->method() ? info->method() : ""),
        type_(TypeName(info->type())),
        start_(std::chrono::steady_clock::now()),
        reads_acks_(
            info->type() ==
                grpc::experimental::ServerRpcInfo::Type::BIDI_STREAMING &&
            AnswersBatchAcks(method_)) {
    metrics_->RpcStarted(method_, type_);
  }

  ~MetricsInterceptor() override {
    // A call that ends without sending a status (the client went away).
    if (!handled_) Handled(grpc::StatusCode::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using H = grpc::experimental::InterceptionHookPoints;
    if (reads_acks_ &&
        methods->QueryInterceptionHookPoint(H::PRE_SEND_MESSAGE)) {
      CountAck(methods);
    }
    if (methods->QueryInterceptionHookPoint(H::PRE_SEND_STATUS)) {
      Handled(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Handled(grpc::StatusCode code) {
    handled_ = true;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
            .count();
    metrics_->RpcHandled(method_, type_, static_cast<int>(code), seconds);
  }

  void CountAck(grpc::experimental::InterceptorBatchMethods* methods) {
    peel::common::v1::BatchAck parsed;
    const peel::common::v1::BatchAck* ack = nullptr;
    if (const void* msg = methods->GetSendMessage()) {
      // The method's declared response type is BatchAck (checked above), so
      // this is the very object the handler passed to Write.
      ack = static_cast<const peel::common::v1::BatchAck*>(msg);
    } else if (grpc::ByteBuffer* buffer = methods->GetSerializedSendMessage()) {
      std::vector<grpc::Slice> slices;
      if (!buffer->Dump(&slices).ok()) return;
      std::string bytes;
      for (const grpc::Slice& s : slices) {
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      if (!parsed.ParseFromString(bytes)) return;
      ack = &parsed;
    }
    if (ack != nullptr) {
      metrics_->RecordsIngested(method_, ack->accepted(), ack->duplicates(),
                                ack->rejected());
    }
  }

  Metrics* metrics_;
  std::string method_;
  const char* type_;
  std::chrono::steady_clock::time_point start_;
  bool reads_acks_;
  bool handled_ = false;
};

class MetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(Metrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_, info);
  }

 private:
  Metrics* metrics_;
};

}  // namespace

void InstallMetricsInterceptor(
    grpc::ServerBuilder* builder, Metrics* metrics,
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        before) {
  auto creators = std::move(before);
  creators.push_back(std::make_unique<MetricsInterceptorFactory>(metrics));
  builder->experimental().SetInterceptorCreators(std::move(creators));
}

// ---------------------------------------------------------------------------
// The HTTP endpoint.

struct MetricsHttpServer::Thread {
  std::atomic<bool> stop{false};
  std::thread thread;
};

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& host, int port, const Metrics* metrics) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = absl::StrCat(port);
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(),
                             service.c_str(), &hints, &found);
  if (rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics: cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 16) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("metrics: cannot listen on ", host, ":", port));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const int chosen =
      bound.ss_family == AF_INET6
          ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
          : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  std::unique_ptr<MetricsHttpServer> server(new MetricsHttpServer());
  server->metrics_ = metrics;
  server->listen_fd_ = fd;
  server->port_ = chosen;
  server->thread_ = std::make_unique<Thread>();
  MetricsHttpServer* raw = server.get();
  server->thread_->thread = std::thread([raw] { raw->Serve(); });
  return server;
}

MetricsHttpServer::~MetricsHttpServer() {
  if (thread_) {
    thread_->stop = true;
    if (thread_->thread.joinable()) thread_->thread.join();
  }
  if (listen_fd_ >= 0) close(listen_fd_);
}

namespace {

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n =
        send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string Response(absl::string_view status, absl::string_view type,
                     const std::string& body) {
  return absl::StrCat("HTTP/1.1 ", status, "\r\nContent-Type: ", type,
                      "\r\nContent-Length: ", body.size(),
                      "\r\nConnection: close\r\n\r\n", body);
}

}  // namespace

void MetricsHttpServer::Serve() {
  while (!thread_->stop) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int conn = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    timeval timeout{2, 0};
    setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    // Read the request head (the body, if any, is ignored).
    std::string request;
    char buf[2048];
    while (request.find("\r\n\r\n") == std::string::npos &&
           request.size() < 16384) {
      const ssize_t n = recv(conn, buf, sizeof(buf), 0);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    const std::string line = request.substr(0, request.find("\r\n"));
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    std::string reply;
    if (parts.size() < 2) {
      reply = Response("400 Bad Request", "text/plain", "bad request\n");
    } else if (parts[0] != "GET" && parts[0] != "HEAD") {
      reply = Response("405 Method Not Allowed", "text/plain", "GET only\n");
    } else if (parts[1] != "/metrics" && parts[1].rfind("/metrics?", 0) != 0) {
      reply = Response("404 Not Found", "text/plain", "try /metrics\n");
    } else {
      reply = Response("200 OK", "text/plain; version=0.0.4; charset=utf-8",
                       metrics_->Render());
      if (parts[0] == "HEAD")
        reply = reply.substr(0, reply.find("\r\n\r\n") + 4);
    }
    SendAll(conn, reply);
    shutdown(conn, SHUT_WR);
    close(conn);
  }
}

uint64_t DirectoryBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  uint64_t total = 0;
  fs::recursive_directory_iterator it(path, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const uintmax_t size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

}  // namespace peel::server
