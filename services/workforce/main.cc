// workforce: person records, wellbeing events and uplift targets, and the
// workforce profile as at any date.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/server_runner.h"
#include "common/util/log.h"
#include "services/workforce/service.h"
#include "services/workforce/store.h"

ABSL_FLAG(int64_t, counter_checkpoint_points,
          peel::workforce::WorkforceStore::kDefaultCheckpointPoints,
          "rewrite the counter day rows (and drop their change log) once this "
          "many counter changes are logged; bounds start-up replay");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves peel.workforce.v1.WorkforceService over gRPC.\n"
      "  workforce --data_dir=DIR [--port=50053] [--port_file=FILE]");
  absl::ParseCommandLine(argc, argv);
  peel::server::BlockShutdownSignals();

  auto store_options = peel::server::StoreOptionsFromFlags();
  auto store = peel::workforce::WorkforceStore::Open(
      store_options, absl::GetFlag(FLAGS_counter_checkpoint_points));
  if (!store.ok()) {
    peel::log::Error(
        absl::StrCat("cannot open store: ", store.status().ToString()));
    return EXIT_FAILURE;
  }

  peel::workforce::WorkforceServiceImpl service(store->get());
  auto options = peel::server::OptionsFromFlags(peel::workforce::kServiceName);
  // Pushed to the gateway, which then need not ask (version_push.h).
  options.data_version = [s = store->get()] { return s->DataVersion(); };
  absl::Status status = peel::server::RunServer(options, {&service});
  if (!status.ok()) {
    peel::log::Error(status.ToString());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
