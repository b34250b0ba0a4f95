#include "common/server/tls.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace peel::server {

absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", path, ": cannot read the file"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", path, ": not a PEM file"));
  }
  return text;
}

namespace {

struct Pems {
  std::string cert, key, ca;
};

absl::StatusOr<Pems> ReadAll(const TlsFiles& f, absl::string_view prefix,
                             bool ca_alone_ok) {
  const std::string cert_flag = absl::StrCat(prefix, "_cert");
  const std::string key_flag = absl::StrCat(prefix, "_key");
  if (f.cert.empty() != f.key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", cert_flag, " and --", key_flag, " must be given together"));
  }
  if (f.cert.empty() && !ca_alone_ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", prefix, "_ca needs --", cert_flag, " and --", key_flag));
  }
  Pems p;
  if (!f.cert.empty()) {
    auto cert = ReadPemFile(f.cert, cert_flag);
    if (!cert.ok()) return cert.status();
    auto key = ReadPemFile(f.key, key_flag);
    if (!key.ok()) return key.status();
    p.cert = std::move(*cert);
    p.key = std::move(*key);
  }
  if (!f.ca.empty()) {
    auto ca = ReadPemFile(f.ca, absl::StrCat(prefix, "_ca"));
    if (!ca.ok()) return ca.status();
    p.ca = std::move(*ca);
  }
  return p;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files, absl::string_view flag_prefix) {
  if (!files.enabled()) return grpc::InsecureServerCredentials();
  auto pems = ReadAll(files, flag_prefix, /*ca_alone_ok=*/false);
  if (!pems.ok()) return pems.status();
  grpc::SslServerCredentialsOptions opts(
      pems->ca.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  opts.pem_root_certs = pems->ca;
  opts.pem_key_cert_pairs.push_back({pems->key, pems->cert});
  return grpc::SslServerCredentials(opts);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
MakeChannelCredentials(const TlsFiles& files, absl::string_view flag_prefix) {
  if (!files.enabled()) return grpc::InsecureChannelCredentials();
  auto pems = ReadAll(files, flag_prefix, /*ca_alone_ok=*/true);
  if (!pems.ok()) return pems.status();
  grpc::SslCredentialsOptions opts;
  opts.pem_root_certs = pems->ca;
  opts.pem_private_key = pems->key;
  opts.pem_cert_chain = pems->cert;
  return grpc::SslCredentials(opts);
}

}  // namespace peel::server
