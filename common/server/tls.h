#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grpc {
class ServerCredentials;
class ChannelCredentials;
}  // namespace grpc

// Transport security from PEM files named by flags. Nothing set: plaintext
// (the default for local use). cert + key: TLS. cert + key + ca: mutual TLS
// (a server then requires and verifies a client certificate signed by `ca`;
// a client presents its certificate and verifies the server against `ca`).
namespace peel::server {

struct TlsFiles {
  std::string cert;  // PEM certificate chain
  std::string key;   // PEM private key
  std::string ca;    // PEM CA bundle
  bool enabled() const { return !cert.empty() || !key.empty() || !ca.empty(); }
};

// `flag_prefix` names the flags in errors, e.g. "tls" -> --tls_cert.
// InvalidArgument when only one of cert/key is given or a file cannot be
// read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files, absl::string_view flag_prefix = "tls");

// A client may give only `ca` (server verified, no client certificate).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const TlsFiles& files,
                       absl::string_view flag_prefix = "client_tls");

// The whole file, or InvalidArgument naming `flag`.
absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view flag);

}  // namespace peel::server
