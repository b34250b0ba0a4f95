// How peelctl reaches the servers: plaintext by default (the suite `peelctl
// up` starts); over TLS with --tls_ca (the CA that signed the servers'
// certificates), presenting a client certificate with --tls_cert and
// --tls_key (mutual TLS: the certificate's subject is the caller's role
// under --authz), and sending --token as a bearer token on every call. The
// credentials are built by common/server/tls.h, as the gateway's backend
// clients build theirs. Every command that dials a server takes these flags
// and dials through Dial().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/peelctl/cli.h"

namespace grpc {
class Channel;
class ChannelCredentials;
}  // namespace grpc

namespace peel::peelctl {

// The flags of a command that dials a server: `flags` plus --tls_ca,
// --tls_cert, --tls_key and --token.
std::vector<const char*> WithConnectionFlags(std::vector<const char*> flags);

// Reads the invocation's connection flags and keeps the credentials for
// Dial(). InvalidArgument naming the flag: --tls_cert without --tls_key (or
// the reverse), a client certificate or token without --tls_ca (a token is
// never sent in the clear), a file that cannot be read.
absl::Status ConfigureConnection(const Invocation& inv);

// The credentials ConfigureConnection chose (plaintext before it is called).
std::shared_ptr<grpc::ChannelCredentials> ConnectionCredentials();

// A channel to `address` with those credentials.
std::shared_ptr<grpc::Channel> Dial(const std::string& address);

// What to add to a failed call's message when the connection flags are the
// likely cause ("" otherwise): no identity for a server with --authz, or
// plaintext to a server that may want TLS.
std::string ConnectionHint(const absl::Status& status);

}  // namespace peel::peelctl
