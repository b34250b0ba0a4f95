// victim-service: the victim service assessment and call handling store.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/server_runner.h"
#include "common/util/log.h"
#include "services/victim-service/service.h"
#include "services/victim-service/store.h"
#include "services/victim-service/summaries.h"

ABSL_FLAG(int64_t, aggregate_checkpoint_records,
          peel::ingest::AggregateCheckpoints().records,
          "write every changed call tally out in full once the journal names "
          "this many calls (smaller: a shorter replay at start, more tally "
          "writes while ingesting)");
ABSL_FLAG(int, write_buffer_mb, 16,
          "RocksDB memtable size per column family, MiB (bounds memory)");
ABSL_FLAG(int, memtable_budget_mb, 48,
          "all column families' RocksDB memtables together, MiB, charged to "
          "the block cache (--block_cache_mb bounds both); 0: no budget "
          "beyond --write_buffer_mb's, beside the cache");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves peel.victimservice.v1.VictimService over gRPC.\n"
      "  victim-service --data_dir=DIR [--port=50052] [--port_file=FILE]\n"
      "      [--aggregate_checkpoint_records=131072]");
  absl::ParseCommandLine(argc, argv);
  peel::server::BlockShutdownSignals();

  auto store_options = peel::server::StoreOptionsFromFlags();
  store_options.write_buffer_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_write_buffer_mb)) << 20;
  store_options.memtable_budget_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_memtable_budget_mb)) << 20;
  peel::ingest::AggregateCheckpoints checkpoints;
  checkpoints.records = absl::GetFlag(FLAGS_aggregate_checkpoint_records);
  auto store =
      peel::victimservice::VictimServiceStore::Open(store_options, checkpoints);
  if (!store.ok()) {
    peel::log::Error(
        absl::StrCat("cannot open store: ", store.status().ToString()));
    return EXIT_FAILURE;
  }

  peel::victimservice::VictimServiceImpl service(store->get());
  auto options =
      peel::server::OptionsFromFlags(peel::victimservice::kServiceName);
  // Calls naming an assessment only by id belong to its force (--authz).
  options.auth.force_of_id["assessment_id"] =
      [s = store->get()](const std::string& id) {
        auto a = s->GetAssessment(id);
        return a.ok() ? a->force() : std::string();
      };
  // Pushed to the gateway, which then need not ask (version_push.h).
  options.data_version = [s = store->get()] { return s->DataVersion(); };
  absl::Status status = peel::server::RunServer(options, {&service});
  if (!status.ok()) {
    peel::log::Error(status.ToString());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
