#include "tools/peelctl/crime_recording_commands.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "tools/peelctl/csv.h"

namespace peel::peelctl {
namespace {

namespace v1 = ::peel::crimerecording::v1;

std::unique_ptr<v1::CrimeRecordingService::Stub> Stub(
    const std::string& address) {
  return v1::CrimeRecordingService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
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

absl::Status CreateAuditFromJson(const std::string& address,
                                 const std::string& json_path) {
  std::ifstream in(json_path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", json_path));
  std::stringstream ss;
  ss << in.rdbuf();
  v1::CreateAuditRequest req;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      ss.str(), req.mutable_audit());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(json_path, ": not an audit in JSON: ", parsed.ToString()));
  }
  v1::Audit resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Status s = Stub(address)->CreateAudit(&ctx, req, &resp);
  if (!s.ok()) return FromGrpc(s);
  std::cout << "audit " << resp.audit_id() << " (" << resp.force() << ", "
            << resp.period().start_date() << " to " << resp.period().end_date()
            << ") stored\n";
  return absl::OkStatus();
}

absl::Status ImportAuditedIncidents(const ImportOptions& o) {
  std::ifstream in(o.path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", o.path));
  auto reader = CsvReader::Open(&in);
  if (!reader.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(o.path, ": ", reader.status().message()));
  }
  const char* kColumns[] = {"incident_id",
                            "stratum",
                            "crime",
                            "recorded",
                            "correctly_classified",
                            "recorded_within_24h",
                            "domestic_abuse",
                            "behavioural",
                            "vulnerable_victim",
                            "rape_or_n100"};
  int col[10];
  for (int i = 0; i < 10; ++i) {
    col[i] = reader->Column(kColumns[i]);
    if (col[i] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(o.path, ": missing column '", kColumns[i],
                       "' (see docs/csv-formats.md)"));
    }
  }

  auto stub = Stub(o.address);
  grpc::ClientContext ctx;
  auto stream = stub->IngestAuditedIncidents(&ctx);
  int64_t accepted = 0, duplicates = 0, rejected = 0, bad_rows = 0;
  uint64_t sequence = 0;
  std::ofstream rejects(o.path + ".rejected.csv");
  rejects << "line,incident_id,field,reason\n";

  v1::AuditedIncidentBatch batch;
  std::vector<int64_t> batch_lines;
  auto flush = [&]() -> absl::Status {
    if (batch.incidents_size() == 0) return absl::OkStatus();
    batch.set_sequence(++sequence);
    batch.set_audit_id(o.audit_id);
    v1::AuditedIncidentBatch sent;
    sent.Swap(&batch);
    if (!stream->Write(sent)) return absl::UnavailableError("stream closed");
    peel::common::v1::BatchAck ack;
    if (!stream->Read(&ack)) return absl::UnavailableError("stream closed");
    accepted += ack.accepted();
    duplicates += ack.duplicates();
    rejected += ack.rejected();
    for (const auto& r : ack.results()) {
      if (r.outcome() != peel::common::v1::RecordResult::REJECTED) continue;
      for (const auto& v : r.violations()) {
        rejects << batch_lines[r.index()] << "," << r.id() << "," << v.field()
                << ",\"" << v.description() << "\"\n";
      }
    }
    batch_lines.clear();
    return absl::OkStatus();
  };

  std::vector<std::string> f;
  int64_t line;
  while (reader->Next(&f, &line)) {
    auto reject_row = [&](const std::string& field, const std::string& why) {
      ++bad_rows;
      rejects << line << ","
              << (col[0] < static_cast<int>(f.size()) ? f[col[0]] : "") << ","
              << field << ",\"" << why << "\"\n";
    };
    if (f.size() != reader->header().size()) {
      reject_row("", absl::StrCat("expected ", reader->header().size(),
                                  " fields, found ", f.size()));
      continue;
    }
    v1::CrimeStratum stratum;
    if (!v1::CrimeStratum_Parse(f[col[1]], &stratum) || stratum == 0) {
      reject_row("stratum", absl::StrCat("'", f[col[1]],
                                         "' is not VIOLENCE, SEXUAL_OFFENCES "
                                         "or OTHER"));
      continue;
    }
    bool flags[8];
    bool ok = true;
    for (int i = 2; i < 10 && ok; ++i) {
      auto b = ParseBool(f[col[i]]);
      if (!b.ok()) {
        reject_row(kColumns[i], std::string(b.status().message()));
        ok = false;
      } else {
        flags[i - 2] = *b;
      }
    }
    if (!ok) continue;
    v1::AuditedIncident* incident = nullptr;
    if (batch.incidents_size() > 0 &&
        batch.incidents(batch.incidents_size() - 1).incident_id() ==
            f[col[0]]) {
      incident = batch.mutable_incidents(batch.incidents_size() - 1);
    } else {
      if (batch.incidents_size() >= o.batch_size) {
        absl::Status s = flush();
        if (!s.ok()) break;
      }
      incident = batch.add_incidents();
      incident->set_incident_id(f[col[0]]);
      incident->set_stratum(stratum);
      batch_lines.push_back(line);
    }
    if (!flags[0]) continue;  // the incident yields no crime
    auto* crime = incident->add_crimes();
    crime->set_recorded(flags[1]);
    crime->set_correctly_classified(flags[2]);
    crime->set_recorded_within_24h(flags[3]);
    crime->set_domestic_abuse(flags[4]);
    crime->set_behavioural(flags[5]);
    crime->set_vulnerable_victim(flags[6]);
    crime->set_rape_or_n100(flags[7]);
  }
  absl::Status flushed = flush();
  stream->WritesDone();
  grpc::Status s = stream->Finish();
  std::cout << "audited incidents: " << accepted << " accepted, " << duplicates
            << " duplicate, " << rejected + bad_rows << " rejected";
  if (rejected + bad_rows > 0) {
    std::cout << " (reasons in " << o.path << ".rejected.csv)";
  }
  std::cout << "\n";
  if (!s.ok()) return FromGrpc(s);
  return flushed;
}

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
    std::string out;
    google::protobuf::util::JsonPrintOptions opts;
    opts.add_whitespace = true;
    opts.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(e, &out, opts);
    std::cout << out;
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

}  // namespace peel::peelctl
