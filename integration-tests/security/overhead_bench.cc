// What transport security, authorisation and the audit log cost: the real
// crime-recording binary started four ways (plaintext; mutual TLS; mutual
// TLS + --authz; mutual TLS + --authz + --audit_log), each fed the same
// audited incidents in batches over one stream, then asked GetAudit one
// call at a time. Prints records/s and unary p50/p99 per configuration.
//
//   build/release/integration-tests/security/security_overhead_bench
//       [--records=200000] [--batch=1000] [--calls=500]
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "common/testing/batch_client.h"
#include "integration-tests/security/security_fixture.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

ABSL_FLAG(int, records, 200000, "audited incidents ingested per configuration");
ABSL_FLAG(int, batch, 1000, "incidents per batch");
ABSL_FLAG(int, calls, 500, "GetAudit calls for the latency figures");

namespace {

namespace cr = ::peel::crimerecording::v1;
using peel::security_testing::Certs;
using peel::security_testing::RoleCredentials;

struct Config {
  const char* name;
  bool tls, authz, audit;
};

// Incidents cycling through the Met fixture's, each with its own id.
std::vector<cr::AuditedIncidentBatch> MakeBatches(int records, int size) {
  const auto met = peel::crimerecording::testing::MetIncidents();
  std::vector<cr::AuditedIncidentBatch> out;
  for (int i = 0; i < records; ++i) {
    if (i % size == 0) {
      out.emplace_back();
      out.back().set_sequence(out.size());
      out.back().set_audit_id("kent-bench");
    }
    auto* inc = out.back().add_incidents();
    *inc = met[i % met.size()];
    inc->set_incident_id(absl::StrCat("inc-", i));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!Certs::Get().ok()) {
    std::fprintf(stderr, "tools/make-test-certs failed\n");
    return 1;
  }
  const auto batches =
      MakeBatches(absl::GetFlag(FLAGS_records), absl::GetFlag(FLAGS_batch));
  const Config configs[] = {{"plaintext", false, false, false},
                            {"mutual TLS", true, false, false},
                            {"mutual TLS + authz", true, true, false},
                            {"mutual TLS + authz + audit log", true, true, true}};
  std::printf("%-32s %14s %10s %10s\n", "configuration", "ingest rec/s",
              "p50 us", "p99 us");
  for (const Config& c : configs) {
    peel::testing::TempDir dir("peel-sec-bench");
    std::vector<std::string> args;
    if (c.tls) args = peel::security_testing::ServerTlsArgs(/*mutual=*/true);
    if (c.authz) args.push_back("--authz");
    if (c.audit) args.push_back("--audit_log=audit.log");
    auto server = peel::security_testing::StartServer(
        dir, "store", PEEL_CRIME_RECORDING_BIN_PATH,
        peel::security_testing::kCrimeRecording, args,
        c.tls ? RoleCredentials("operator") : nullptr);
    if (!server) return 1;
    auto channel = grpc::CreateChannel(
        server->address(), c.tls ? RoleCredentials("force-analyst:kent")
                                 : grpc::InsecureChannelCredentials());
    auto stub = cr::CrimeRecordingService::NewStub(channel);
    cr::CreateAuditRequest create;
    *create.mutable_audit() = peel::crimerecording::testing::MetAudit();
    create.mutable_audit()->set_force("kent");
    create.mutable_audit()->set_audit_id("kent-bench");
    {
      grpc::ClientContext ctx;
      cr::Audit a;
      if (!stub->CreateAudit(&ctx, create, &a).ok()) return 1;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto acks = peel::testing::SendBatches<cr::AuditedIncidentBatch>(
        [&](grpc::ClientContext* ctx) {
          return stub->IngestAuditedIncidents(ctx);
        },
        batches, std::chrono::seconds(600));
    const double secs = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - t0)
                            .count();
    if (!acks.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.name, acks.status().ToString().c_str());
      return 1;
    }
    std::vector<double> us;
    cr::GetAuditRequest get;
    get.set_audit_id("kent-bench");
    for (int i = 0; i < absl::GetFlag(FLAGS_calls); ++i) {
      grpc::ClientContext ctx;
      cr::Audit a;
      const auto s = std::chrono::steady_clock::now();
      if (!stub->GetAudit(&ctx, get, &a).ok()) return 1;
      us.push_back(std::chrono::duration<double, std::micro>(
                       std::chrono::steady_clock::now() - s)
                       .count());
    }
    std::sort(us.begin(), us.end());
    std::printf("%-32s %14.0f %10.0f %10.0f\n", c.name,
                absl::GetFlag(FLAGS_records) / secs, us[us.size() / 2],
                us[us.size() * 99 / 100]);
  }
  return 0;
}
