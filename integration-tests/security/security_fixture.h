#pragma once

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/server/tls.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

// Shared by the security.* tests: two unrelated test CAs made by
// tools/make-test-certs (once per test binary), credentials built from
// them, and real server binaries started with TLS flags.
namespace peel::security_testing {

inline std::string Path(const char* env, const char* built_in) {
  const char* v = std::getenv(env);
  return v != nullptr ? v : built_in;
}
inline std::string CrimeRecordingBin() {
  return Path("PEEL_CRIME_RECORDING_BIN", PEEL_CRIME_RECORDING_BIN_PATH);
}
inline std::string GatewayBin() {
  return Path("PEEL_GATEWAY_BIN", PEEL_GATEWAY_BIN_PATH);
}
inline std::string GatewayPolicy() {
  return Path("PEEL_GATEWAY_POLICY", PEEL_GATEWAY_POLICY_PATH);
}

inline constexpr char kCrimeRecording[] =
    "peel.crimerecording.v1.CrimeRecordingService";
inline constexpr char kGateway[] = "peel.gateway.v1.AssessmentGateway";

// The certificate folders: `main` (the servers' CA) and `other` (a CA the
// servers do not trust). Made once per process.
class Certs {
 public:
  static const Certs& Get() {
    static const Certs* certs = new Certs();
    return *certs;
  }
  std::string main(const std::string& file) const {
    return dir_.Sub("main/" + file);
  }
  std::string other(const std::string& file) const {
    return dir_.Sub("other/" + file);
  }
  bool ok() const { return ok_; }

 private:
  Certs() {
    const std::string script = PEEL_MAKE_TEST_CERTS_PATH;
    ok_ = std::system((script + " " + dir_.Sub("main") + " >/dev/null").c_str()) ==
              0 &&
          std::system((script + " " + dir_.Sub("other") + " >/dev/null")
                          .c_str()) == 0;
  }
  peel::testing::TempDir dir_{"peel-certs"};
  bool ok_ = false;
};

// Server flags for TLS (and mTLS when `mutual`) with the main CA's server
// certificate.
inline std::vector<std::string> ServerTlsArgs(bool mutual) {
  const Certs& c = Certs::Get();
  std::vector<std::string> args = {"--tls_cert=" + c.main("server.pem"),
                                   "--tls_key=" + c.main("server.key")};
  if (mutual) args.push_back("--tls_ca=" + c.main("ca.pem"));
  return args;
}

// Client credentials trusting `ca_pem`, presenting `client` (e.g.
// "client-inspector") from the same folder when not empty.
inline std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(
    const std::string& folder_ca, const std::string& cert = "",
    const std::string& key = "") {
  auto creds = peel::server::MakeChannelCredentials({cert, key, folder_ca});
  EXPECT_TRUE(creds.ok()) << creds.status();
  return creds.ok() ? *creds : nullptr;
}

// Credentials for a role's certificate of the main CA ("inspector",
// "force-analyst:kent", ...).
inline std::shared_ptr<grpc::ChannelCredentials> RoleCredentials(
    std::string role) {
  for (char& ch : role) {
    if (ch == ':') ch = '-';
  }
  const Certs& c = Certs::Get();
  return ClientCredentials(c.main("ca.pem"),
                           c.main("client-" + role + ".pem"),
                           c.main("client-" + role + ".key"));
}

inline std::unique_ptr<peel::testing::ServerProcess> StartServer(
    const peel::testing::TempDir& dir, const std::string& name,
    const std::string& binary, const std::string& service,
    std::vector<std::string> args,
    std::shared_ptr<grpc::ChannelCredentials> health_credentials) {
  std::filesystem::create_directories(dir.Sub(name));
  peel::testing::ServerProcessOptions o;
  o.binary = binary;
  o.service_name = service;
  o.data_dir = dir.Sub(name + "-data");
  o.work_dir = dir.Sub(name);
  o.extra_args = std::move(args);
  o.credentials = std::move(health_credentials);
  auto p = peel::testing::ServerProcess::Start(o);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

inline std::chrono::system_clock::time_point Deadline(int seconds = 10) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

}  // namespace peel::security_testing
