// peelctl import / kinds: the command side of tools/peelctl/import/.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/peelctl/commands.h"
#include "tools/peelctl/connection.h"
#include "tools/peelctl/import/import_command.h"
#include "tools/peelctl/import/record_kinds.h"

namespace peel::peelctl {
namespace {

int RunImport(const Invocation& inv) {
  const RecordKind* kind = FindRecordKind(inv.args[0]);
  if (kind == nullptr) {
    std::cerr << "peelctl: unknown kind '" << inv.args[0] << "'; kinds:\n"
              << DescribeKinds(false);
    return kExitUsage;
  }
  ImportOptions o;
  o.kind = inv.args[0];
  o.path = inv.args[1];
  if (!absl::SimpleAtoi(inv.Flag("batch_size"), &o.batch_size) ||
      o.batch_size < 1) {
    std::cerr << "peelctl: --batch_size must be a positive whole number\n";
    return kExitUsage;
  }
  auto shards = server::ParseShardSpecs(inv.Flag("shard_map"), "shard_map");
  if (!shards.ok()) {
    std::cerr << "peelctl: " << shards.status().message() << "\n";
    return kExitUsage;
  }
  o.shards = std::move(*shards);
  if (o.shards.empty()) {
    auto address = AddressOf(inv.Suite(), kind->service);
    if (!address.ok()) return ExitFor(address.status());
    o.address = *address;
  }
  o.batch_fields = {{"audit_id", inv.Flag("audit")},
                    {"assessment_id", inv.Flag("assessment")},
                    {"force", inv.Flag("force")}};
  o.quiet = inv.BoolFlag("quiet");
  ImportCounts counts;
  absl::Status s = peel::peelctl::RunImport(o, &counts);
  if (s.ok() || counts.rows > 0) {
    std::cout << o.kind << ": " << counts.rows << " rows, " << counts.accepted
              << " accepted, " << counts.duplicates << " duplicate, "
              << counts.rejected << " rejected\n";
  }
  if (s.ok() && counts.rejected > 0) {
    std::cerr << "peelctl: " << counts.rejected
              << " rows rejected; line numbers and reasons are in " << o.path
              << ".rejected.csv\n";
    return kExitRejected;
  }
  return ExitFor(s);
}

int RunKinds(const Invocation&) {
  std::cout << "Record kinds peelctl imports (columns are field paths; see "
               "docs/csv-formats.md):\n"
            << DescribeKinds(true);
  return kExitOk;
}

}  // namespace

std::vector<Command> ImportCommands() {
  return {
      {"import",
       "import KIND FILE [--audit=ID] [--assessment=ID] [--force=SLUG] "
       "[--quiet] [--batch_size=N] [--shard_map=FORCE+FORCE@ADDR,ADDR]",
       "load a CSV (or JSON) file of records of one kind into its service",
       "Streams the file in batches and reports accepted, duplicate and\n"
       "rejected counts; rejected rows go to FILE.rejected.csv with their "
       "line\n"
       "number and reason, and the good rows still load. Re-running the same\n"
       "file counts every record as a duplicate: nothing is stored twice.\n"
       "`peelctl kinds` lists the kinds and their columns. Exits 4 when the\n"
       "import finished but some rows were rejected. With --shard_map each\n"
       "record goes to the shard owning its force (audit- and\n"
       "assessment-scoped kinds: the shard holding --audit/--assessment).\n",
       WithConnectionFlags({"audit", "assessment", "force", "quiet",
                            "batch_size", "shard_map"}),
       2, 2, &RunImport},
      {"kinds",
       "kinds",
       "the record kinds `import` takes and their columns",
       "",
       {},
       0,
       0,
       &RunKinds},
  };
}

}  // namespace peel::peelctl
