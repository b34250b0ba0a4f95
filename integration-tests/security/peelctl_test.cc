// peelctl against a server with TLS and --authz (issue 10): the --tls_ca,
// --tls_cert, --tls_key and --token flags. One crime-recording laid out as
// `peelctl up` would (DATA/crime-recording/{port,pid}), with mutual TLS
// (callers named by client certificates) or TLS alone (callers named by
// bearer tokens); an audit and its incidents imported and the estimate
// read through peelctl: they succeed with the right identity, and fail with
// a message saying why with none, with the wrong role or without TLS,
// storing nothing.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "integration-tests/security/security_fixture.h"

namespace {

using peel::security_testing::Certs;

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Outcome RunShell(const std::string& command) {
  Outcome r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class PeelctlSecurity : public ::testing::Test {
 protected:
  // Mutual TLS (`mutual`) or TLS with tokens only.
  void Start(bool mutual) {
    mutual_ = mutual;
    ASSERT_TRUE(Certs::Get().ok());
    const Certs& c = Certs::Get();
    std::vector<std::string> args =
        peel::security_testing::ServerTlsArgs(mutual);
    args.push_back("--authz");
    args.push_back("--auth_token_key_file=" + c.main("auth-token.key"));
    auto health =
        mutual
            ? peel::security_testing::RoleCredentials("operator")
            : grpc::CompositeChannelCredentials(
                  peel::security_testing::ClientCredentials(c.main("ca.pem")),
                  grpc::AccessTokenCredentials(Token("operator")));
    // DATA/crime-recording/port is where peelctl looks for the service.
    server_ = peel::security_testing::StartServer(
        dir_, "crime-recording", peel::security_testing::CrimeRecordingBin(),
        peel::security_testing::kCrimeRecording, args, health);
    ASSERT_TRUE(server_);
    std::ofstream(dir_.Sub("crime-recording/pid")) << server_->pid() << "\n";

    std::ofstream(dir_.Sub("audit.json"))
        << R"([{"audit_id": "met-h2", "force": "metropolitan",
                "period": {"start_date": "2021-07-01",
                           "end_date": "2021-12-31"},
                "recorded_crime_base": 1000,
                "recorded_crime_base_source": "test",
                "strata": [{"stratum": "VIOLENCE", "weight": 0.5},
                           {"stratum": "SEXUAL_OFFENCES", "weight": 0.25},
                           {"stratum": "OTHER", "weight": 0.25}]}])";
    // Three incidents, two with their crime recorded: 2 of 3.
    std::ofstream(dir_.Sub("incidents.csv"))
        << "incident_id,stratum,crimes.recorded\n"
           "i1,VIOLENCE,yes\ni2,VIOLENCE,yes\ni3,VIOLENCE,no\n";
  }

  std::string Pem(const std::string& role, const std::string& ext) const {
    return Certs::Get().main("client-" + role + "." + ext);
  }
  std::string CertFlags(const std::string& role) const {
    return absl::StrCat(" --tls_ca=", Certs::Get().main("ca.pem"),
                        " --tls_cert=", Pem(role, "pem"),
                        " --tls_key=", Pem(role, "key"));
  }
  // A token made by tools/make-test-token.
  std::string Token(const std::string& role) const {
    const std::string file = dir_.Sub("token-" + role);
    const Outcome made = RunShell(absl::StrCat(
        PEEL_MAKE_TEST_TOKEN_PATH, " ", Certs::Get().main("auth-token.key"),
        " ", role, " peelctl-test 600 > ", file));
    EXPECT_EQ(made.exit_code, 0) << made.output;
    std::ifstream in(file);
    std::string token;
    std::getline(in, token);
    return token;
  }
  // The same, passed as --token=@FILE.
  std::string TokenFlags(const std::string& role) const {
    Token(role);
    return absl::StrCat(" --tls_ca=", Certs::Get().main("ca.pem"), " --token=@",
                        dir_.Sub("token-" + role));
  }
  std::string Rejected() const {
    std::ifstream in(dir_.Sub("audit.json.rejected.csv"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  Outcome Peelctl(const std::string& args) const {
    return RunShell(absl::StrCat(PEEL_PEELCTL_BIN_PATH, " ", args,
                                 " --data_dir=", dir_.path()));
  }
  Outcome ImportAll(const std::string& identity) const {
    Outcome audits = Peelctl(
        absl::StrCat("import audits ", dir_.Sub("audit.json"), identity));
    if (audits.exit_code != 0) return audits;
    return Peelctl(absl::StrCat("import audited-incidents ",
                                dir_.Sub("incidents.csv"), " --audit=met-h2",
                                identity));
  }
  // The estimate's incident count as the inspector reads it ("" when the
  // audit is not there).
  std::string Stored() const {
    const Outcome r =
        Peelctl("estimate met-h2" +
                (mutual_ ? CertFlags("inspector") : TokenFlags("inspector")));
    const size_t at = r.output.find("(audit met-h2, ");
    return r.exit_code == 0 && at != std::string::npos
               ? r.output.substr(at, r.output.find(')', at) - at + 1)
               : "";
  }

  peel::testing::TempDir dir_{"peel-peelctl-tls"};
  std::unique_ptr<peel::testing::ServerProcess> server_;
  bool mutual_ = false;
};

TEST_F(PeelctlSecurity, RightCertificateImportsAndReads) {
  Start(/*mutual=*/true);
  const std::string analyst = CertFlags("force-analyst-metropolitan");
  Outcome r = ImportAll(analyst);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 accepted"), std::string::npos) << r.output;
  r = Peelctl("estimate met-h2" + analyst);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("(audit met-h2, 3 incidents)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("2 of 3 crimes recorded"), std::string::npos)
      << r.output;
  EXPECT_EQ(Stored(), "(audit met-h2, 3 incidents)");
}

TEST_F(PeelctlSecurity, RightTokenImportsAndReads) {
  Start(/*mutual=*/false);
  Outcome r = ImportAll(TokenFlags("force-analyst:metropolitan"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = Peelctl("estimate met-h2 --format=json" + TokenFlags("inspector"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"incidents\": \"3\""), std::string::npos)
      << r.output;
  // The token, not the file name, on the command line works the same.
  r = Peelctl(
      absl::StrCat("estimate met-h2 --tls_ca=", Certs::Get().main("ca.pem"),
                   " --token=", Token("inspector")));
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(PeelctlSecurity, NoIdentityIsRefusedWithAReason) {
  Start(/*mutual=*/false);
  const std::string ca = " --tls_ca=" + Certs::Get().main("ca.pem");
  // TLS but no certificate or token: the server does not know the caller.
  for (const std::string& command : {"import audits " + dir_.Sub("audit.json"),
                                     std::string("estimate met-h2")}) {
    Outcome r = Peelctl(command + ca);
    EXPECT_EQ(r.exit_code, 1) << command << ": " << r.output;
    EXPECT_NE(r.output.find("no caller identity"), std::string::npos)
        << command << ": " << r.output;
    EXPECT_NE(r.output.find("give --tls_cert and --tls_key"), std::string::npos)
        << command << ": " << r.output;
  }
  // No TLS at all: the TLS server does not answer plaintext.
  Outcome r = Peelctl("estimate met-h2");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("give --tls_ca"), std::string::npos) << r.output;
  EXPECT_EQ(Stored(), "");
}

TEST_F(PeelctlSecurity, MutualTlsWithoutACertificateIsRefused) {
  Start(/*mutual=*/true);
  Outcome r = ImportAll(" --tls_ca=" + Certs::Get().main("ca.pem"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("without a client certificate"), std::string::npos)
      << r.output;
}

TEST_F(PeelctlSecurity, WrongRoleIsRefused) {
  Start(/*mutual=*/true);
  // Each row is refused on its own (an analyst's file may hold another
  // force's rows): exit 4, the reason in the rejected-rows file.
  for (const auto& [cert, role] :
       std::vector<std::pair<std::string, std::string>>{
           {"reader", "role reader may not call"},
           {"force-analyst-kent", "force-analyst:kent may "},
           {"operator", "role operator may not call"}}) {
    Outcome r = ImportAll(CertFlags(cert));
    EXPECT_EQ(r.exit_code, 4) << cert << ": " << r.output;
    EXPECT_NE(Rejected().find(role), std::string::npos)
        << cert << ": " << Rejected();
    r = Peelctl("estimate met-h2" + CertFlags(cert));
    EXPECT_EQ(r.exit_code, 1) << cert << ": " << r.output;
    EXPECT_NE(r.output.find(role), std::string::npos)
        << cert << ": " << r.output;
  }
  EXPECT_EQ(Stored(), "");
}

TEST_F(PeelctlSecurity, BadConnectionFlagsAreUsageErrors) {
  Start(/*mutual=*/true);
  const std::string ca = " --tls_ca=" + Certs::Get().main("ca.pem");
  const std::pair<std::string, std::string> cases[] = {
      {" --token=abc", "--token needs --tls_ca"},
      {" --tls_cert=" + Pem("reader", "pem") +
           " --tls_key=" + Pem("reader", "key"),
       "need --tls_ca"},
      {ca + " --tls_cert=" + Pem("reader", "pem"), "must be given together"},
      {ca + " --token=@" + dir_.Sub("no-such-file"), "cannot read the file"},
      {" --tls_ca=" + dir_.Sub("incidents.csv"), "not a PEM file"},
  };
  for (const auto& [flags, message] : cases) {
    Outcome r = Peelctl("estimate met-h2" + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos)
        << flags << ": " << r.output;
  }
}

}  // namespace
