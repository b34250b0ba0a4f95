#include "tools/peelctl/connection.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/server/tls.h"
#include "grpcpp/grpcpp.h"

namespace peel::peelctl {
namespace {

// What ConfigureConnection chose, for ConnectionHint.
struct Chosen {
  bool tls = false;
  bool client_cert = false;
};
Chosen& Choice() {
  static Chosen chosen;
  return chosen;
}

std::shared_ptr<grpc::ChannelCredentials>& Credentials() {
  static auto* credentials = new std::shared_ptr<grpc::ChannelCredentials>(
      grpc::InsecureChannelCredentials());
  return *credentials;
}

// --token=TOKEN, or --token=@FILE to keep it off the command line.
absl::StatusOr<std::string> ReadToken(const std::string& value) {
  if (value.empty() || value[0] != '@') return value;
  std::ifstream in(value.substr(1));
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token=", value, ": cannot read the file"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(ss.str()));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token=", value, ": the file is empty"));
  }
  return token;
}

}  // namespace

std::vector<const char*> WithConnectionFlags(std::vector<const char*> flags) {
  for (const char* f : {"tls_ca", "tls_cert", "tls_key", "token"}) {
    flags.push_back(f);
  }
  return flags;
}

absl::Status ConfigureConnection(const Invocation& inv) {
  const server::TlsFiles files{inv.Flag("tls_cert"), inv.Flag("tls_key"),
                               inv.Flag("tls_ca")};
  const std::string token_flag = inv.Flag("token");
  if (!files.enabled() && token_flag.empty()) {
    Credentials() = grpc::InsecureChannelCredentials();
    Choice() = Chosen();
    return absl::OkStatus();
  }
  if (files.ca.empty()) {
    return absl::InvalidArgumentError(
        !token_flag.empty()
            ? "--token needs --tls_ca: a bearer token is only sent over TLS"
            : "--tls_cert and --tls_key need --tls_ca (the CA that signed "
              "the servers' certificates)");
  }
  auto tls = server::MakeChannelCredentials(files, "tls");
  if (!tls.ok()) return tls.status();
  std::shared_ptr<grpc::ChannelCredentials> credentials = *tls;
  if (!token_flag.empty()) {
    auto token = ReadToken(token_flag);
    if (!token.ok()) return token.status();
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(*token));
  }
  Credentials() = std::move(credentials);
  Choice() = Chosen{true, !files.cert.empty()};
  return absl::OkStatus();
}

std::shared_ptr<grpc::ChannelCredentials> ConnectionCredentials() {
  return Credentials();
}

std::shared_ptr<grpc::Channel> Dial(const std::string& address) {
  return grpc::CreateChannel(address, Credentials());
}

std::string ConnectionHint(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    return "\n  (the server wants to know who you are: give --tls_cert and "
           "--tls_key of your role's certificate, or --token; see "
           "docs/SECURITY.md)";
  }
  // UNAVAILABLE from a call, not from finding the suite's port file.
  if (status.code() != absl::StatusCode::kUnavailable ||
      absl::StrContains(status.message(), "is not running")) {
    return "";
  }
  if (!Choice().tls) {
    return "\n  (if the servers run TLS, give --tls_ca and an identity: "
           "see peelctl help)";
  }
  if (!Choice().client_cert) {
    return "\n  (a server with mutual TLS refuses a connection without a "
           "client certificate: give --tls_cert and --tls_key)";
  }
  return "";
}

}  // namespace peel::peelctl
