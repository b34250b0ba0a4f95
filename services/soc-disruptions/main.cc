// soc-disruptions: the serious and organised crime disruptions store service.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/server_runner.h"
#include "common/util/log.h"
#include "services/soc-disruptions/service.h"
#include "services/soc-disruptions/store.h"
#include "services/soc-disruptions/summary.h"

ABSL_FLAG(int64_t, aggregate_checkpoint_records,
          peel::soc::AggregateCheckpoints().records,
          "write every changed aggregate out in full once the journal names "
          "this many disruptions (smaller: a shorter replay at start, more "
          "aggregate writes while ingesting)");
ABSL_FLAG(bool, low_priority_compactions, true,
          "run RocksDB compactions at nice 19, so that summaries are "
          "answered first while an ingest's compactions catch up");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves peel.soc.v1.SocDisruptionService over gRPC.\n"
      "  soc-disruptions --data_dir=DIR [--port=50054] [--port_file=FILE]\n"
      "      [--aggregate_checkpoint_records=131072]");
  absl::ParseCommandLine(argc, argv);
  peel::server::BlockShutdownSignals();

  auto store_options = peel::server::StoreOptionsFromFlags();
  store_options.low_priority_compactions =
      absl::GetFlag(FLAGS_low_priority_compactions);
  peel::soc::AggregateCheckpoints checkpoints;
  checkpoints.records = absl::GetFlag(FLAGS_aggregate_checkpoint_records);
  auto store = peel::soc::SocStore::Open(store_options, nullptr, checkpoints);
  if (!store.ok()) {
    peel::log::Error(
        absl::StrCat("cannot open store: ", store.status().ToString()));
    return EXIT_FAILURE;
  }

  peel::soc::SocDisruptionServiceImpl service(store->get());
  auto options = peel::server::OptionsFromFlags(peel::soc::kServiceName);
  // Calls naming a group only by id belong to the group's force (--authz).
  options.auth.force_of_id["group_id"] =
      [s = store->get()](const std::string& id) {
        auto g = s->GetGroup(id);
        return g.ok() ? g->force() : std::string();
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
