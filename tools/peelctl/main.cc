// peelctl: run the suite locally, load data, print figures.
//
// Exit codes: 0 success; 1 the command failed; 2 usage error;
// 3 the suite (or the service the command needs) is not running.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/peelctl/crime_recording_commands.h"
#include "tools/peelctl/import/import_command.h"
#include "tools/peelctl/import/record_kinds.h"
#include "tools/peelctl/suite.h"

ABSL_FLAG(std::string, data_dir, "peel-data",
          "the suite's data folder: one sub-folder per service with its "
          "store, port, pid and log");
ABSL_FLAG(std::string, bin_dir, "",
          "build folder holding services/<name>/<name> (default: the build "
          "folder peelctl itself is in)");
ABSL_FLAG(std::string, audit, "",
          "audit id, for audited-incident and cancellation-review imports");
ABSL_FLAG(std::string, assessment, "",
          "victim service assessment id, for case-review imports");
ABSL_FLAG(std::string, force, "", "police.uk slug, for incident-log imports");
ABSL_FLAG(bool, quiet, false, "no progress output");
ABSL_FLAG(std::string, format, "text", "output format: text or json");
ABSL_FLAG(int, batch_size, 1000, "records per streamed batch");

namespace {

constexpr int kOk = 0, kFailed = 1, kUsage = 2, kNotRunning = 3, kRejected = 4;

constexpr char kUsageText[] =
    R"(peelctl: run the PEEL inspection data suite locally and use it.

Commands:
  peelctl up                  start every service (data under --data_dir)
  peelctl down                stop every service
  peelctl status              health and data version of each service
  peelctl import KIND FILE    load a CSV (or JSON) file of records; some kinds
                              need --audit, --assessment or --force
  peelctl kinds               the record kinds and their columns
  peelctl estimate AUDIT_ID [--format=json]
                              print the audit's recording estimate
  peelctl help COMMAND        help on one command

Exit codes: 0 success, 1 failure, 2 usage error, 3 suite not running,
4 import finished but some rows were rejected.
)";

int Report(const absl::Status& s) {
  if (s.ok()) return kOk;
  std::cerr << "peelctl: " << s.message() << "\n";
  if (s.code() == absl::StatusCode::kUnavailable) return kNotRunning;
  if (s.code() == absl::StatusCode::kInvalidArgument) return kFailed;
  return kFailed;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsageText);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) {
    std::cerr << kUsageText;
    return kUsage;
  }
  const std::string command = positional[1];
  std::vector<std::string> args(positional.begin() + 2, positional.end());

  peel::peelctl::SuiteOptions suite;
  suite.data_dir = absl::GetFlag(FLAGS_data_dir);
  suite.bin_dir = absl::GetFlag(FLAGS_bin_dir).empty()
                      ? peel::peelctl::DefaultBinDir()
                      : absl::GetFlag(FLAGS_bin_dir);
  const bool json = absl::GetFlag(FLAGS_format) == "json";

  if (command == "help" || command == "--help") {
    std::cout << kUsageText;
    return kOk;
  }
  if (command == "up") {
    absl::Status s = peel::peelctl::Up(suite);
    if (s.ok()) {
      for (const auto& st : peel::peelctl::Status(suite)) {
        if (st.running) std::cout << st.name << " at " << st.address << "\n";
      }
      std::cout << "suite up; data in " << suite.data_dir
                << "; stop it with: peelctl down --data_dir=" << suite.data_dir
                << "\n";
    }
    return Report(s);
  }
  if (command == "down") {
    absl::Status s = peel::peelctl::Down(suite);
    if (s.ok()) std::cout << "suite stopped\n";
    return Report(s);
  }
  if (command == "status") {
    bool all_serving = true, any = false;
    for (const auto& st : peel::peelctl::Status(suite)) {
      std::cout << absl::StrFormat("%-16s %-12s %s %s\n", st.name,
                                   st.serving   ? "SERVING"
                                   : st.running ? "NOT_SERVING"
                                                : "DOWN",
                                   st.address, st.detail);
      if (st.running) any = true;
      if (st.running && !st.serving) all_serving = false;
    }
    if (!any) {
      std::cerr << "peelctl: the suite is not running; start it with "
                   "`peelctl up --data_dir="
                << suite.data_dir << "`\n";
      return kNotRunning;
    }
    return all_serving ? kOk : kFailed;
  }

  auto need = [&](size_t n, const char* usage) {
    if (args.size() != n) {
      std::cerr << "usage: " << usage << "\n";
      return false;
    }
    return true;
  };
  if (command == "kinds") {
    std::cout << "Record kinds peelctl imports (columns are field paths; see "
                 "docs/csv-formats.md):\n"
              << peel::peelctl::DescribeKinds(true);
    return kOk;
  }
  if (command == "import") {
    if (!need(2,
              "peelctl import KIND FILE.csv|FILE.json [--audit=ID] "
              "[--assessment=ID] [--force=SLUG]")) {
      return kUsage;
    }
    const auto* kind = peel::peelctl::FindRecordKind(args[0]);
    if (kind == nullptr) {
      std::cerr << "peelctl: unknown kind '" << args[0] << "'; kinds:\n"
                << peel::peelctl::DescribeKinds(false);
      return kUsage;
    }
    auto address = peel::peelctl::AddressOf(suite, kind->service);
    if (!address.ok()) return Report(address.status());
    peel::peelctl::ImportOptions o;
    o.kind = args[0];
    o.path = args[1];
    o.address = *address;
    o.batch_fields = {{"audit_id", absl::GetFlag(FLAGS_audit)},
                      {"assessment_id", absl::GetFlag(FLAGS_assessment)},
                      {"force", absl::GetFlag(FLAGS_force)}};
    o.batch_size = absl::GetFlag(FLAGS_batch_size);
    o.quiet = absl::GetFlag(FLAGS_quiet);
    peel::peelctl::ImportCounts counts;
    absl::Status s = peel::peelctl::RunImport(o, &counts);
    if (s.ok() || counts.rows > 0) {
      std::cout << o.kind << ": " << counts.rows << " rows, " << counts.accepted
                << " accepted, " << counts.duplicates << " duplicate, "
                << counts.rejected << " rejected\n";
    }
    if (s.ok() && counts.rejected > 0) return kRejected;
    return Report(s);
  }
  auto address = peel::peelctl::AddressOf(suite, "crime-recording");
  if (command == "estimate") {
    if (!need(1, "peelctl estimate AUDIT_ID [--format=json]")) return kUsage;
    if (!address.ok()) return Report(address.status());
    return Report(
        peel::peelctl::PrintRecordingEstimate(*address, args[0], json));
  }
  std::cerr << "peelctl: unknown command '" << command << "'\n\n" << kUsageText;
  return kUsage;
}
