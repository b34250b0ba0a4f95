#pragma once

#include <memory>
#include <string>

namespace grpc {
class Server;
}

// The RPC-layer ceiling: an in-process gRPC server on loopback offering the
// victim-service's call-record ingest stream and GetDataVersion, doing
// nothing but answer (each batch acknowledged with one accepted result per
// record, as the real services answer).
namespace peel::bench {

class NoopServer {
 public:
  NoopServer();
  ~NoopServer();
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace peel::bench
