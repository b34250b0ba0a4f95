#include "tools/peelctl/crime_recording_commands.h"

#include <cmath>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/grpcpp.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"
#include "tools/peelctl/gateway_client.h"
#include "tools/peelctl/suite.h"

namespace peel::peelctl {
namespace {

namespace v1 = ::peel::crimerecording::v1;

std::unique_ptr<v1::CrimeRecordingService::Stub> Stub(
    const std::string& address) {
  return v1::CrimeRecordingService::NewStub(Dial(address));
}

absl::Status FromGrpc(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

std::string Pct(double p) { return absl::StrFormat("%.1f%%", p * 100); }

const char* Wording(v1::ChangeWording w) {
  switch (w) {
    case v1::IMPROVED:
      return "improved";
    case v1::DETERIORATED:
      return "deteriorated";
    case v1::BROADLY_UNCHANGED:
      return "broadly unchanged";
    default:
      return "no earlier inspection";
  }
}

}  // namespace

absl::Status PrintRecordingEstimate(const std::string& address,
                                    const std::string& audit_id, bool json) {
  v1::GetRecordingEstimateRequest req;
  req.set_audit_id(audit_id);
  v1::RecordingEstimate e;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status s = Stub(address)->GetRecordingEstimate(&ctx, req, &e);
  if (!s.ok()) return FromGrpc(s);
  if (json) {
    std::cout << ToJson(e);
    return absl::OkStatus();
  }
  const auto& a = e.audit();
  std::cout << "Crime data integrity: " << a.force() << ", "
            << a.period().start_date() << " to " << a.period().end_date()
            << " (audit " << a.audit_id() << ", " << e.incidents()
            << " incidents)\n";
  std::cout << absl::StrFormat(
      "  All crime (excluding fraud): %s (+/- %.1f%%), %d of %d crimes "
      "recorded [%s]\n",
      Pct(e.headline().value()), e.headline().half_width() * 100,
      e.pooled().ratio().numerator(), e.pooled().ratio().denominator(),
      e.headline_method() == v1::POOLED ? "pooled" : "stratified");
  for (const auto& st : e.strata()) {
    std::cout << absl::StrFormat(
        "  %-16s %s (+/- %.1f%%), %d of %d; %s\n",
        v1::CrimeStratum_Name(st.stratum()), Pct(st.rate().value()),
        st.rate().half_width() * 100, st.rate().ratio().numerator(),
        st.rate().ratio().denominator(), Wording(st.change().wording()));
  }
  std::cout << "  Compared with "
            << (e.change().earlier_label().empty() ? "no earlier inspection"
                                                   : e.change().earlier_label())
            << ": " << Wording(e.change().wording()) << "\n";
  std::cout << "  Unrecorded crimes (estimate, nearest 100): " << e.unrecorded()
            << "\n";
  if (e.additionally_recorded_known()) {
    std::cout << "  Additionally recorded since the earlier inspection: "
              << e.additionally_recorded() << "\n";
  }
  std::cout << absl::StrFormat(
      "  Recorded within 24 hours: %s of recorded crimes (%d of %d)\n",
      Pct(e.recorded_within_24h().value()),
      e.recorded_within_24h().ratio().numerator(),
      e.recorded_within_24h().ratio().denominator());
  return absl::OkStatus();
}

namespace {

int RunEstimate(const Invocation& inv) {
  auto address = AddressOf(inv.Suite(), "crime-recording");
  if (!address.ok()) return ExitFor(address.status());
  return ExitFor(PrintRecordingEstimate(*address, inv.args[0],
                                        inv.Flag("format") == "json"));
}

}  // namespace

std::vector<Command> CrimeRecordingCommands() {
  return {
      {"estimate", "estimate AUDIT_ID [--format=text|json]",
       "print a crime data integrity audit's recording estimate",
       "The crime-recording service's estimate straight from the audit: the\n"
       "headline rate with its interval, each stratum, the change since the\n"
       "earlier inspection and the unrecorded crimes.\n",
       WithConnectionFlags({"format"}), 1, 1, &RunEstimate},
  };
}

}  // namespace peel::peelctl
