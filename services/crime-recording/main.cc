// crime-recording: the crime data integrity store service.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "common/server/flags.h"
#include "common/server/server_runner.h"
#include "common/util/log.h"
#include "services/crime-recording/estimate.h"
#include "services/crime-recording/service.h"
#include "services/crime-recording/store.h"

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves peel.crimerecording.v1.CrimeRecordingService over gRPC.\n"
      "  crime-recording --data_dir=DIR [--port=50051] [--port_file=FILE]");
  absl::ParseCommandLine(argc, argv);
  peel::server::BlockShutdownSignals();

  auto store_options = peel::server::StoreOptionsFromFlags();
  auto store = peel::crimerecording::CrimeRecordingStore::Open(store_options);
  if (!store.ok()) {
    peel::log::Error(
        absl::StrCat("cannot open store: ", store.status().ToString()));
    return EXIT_FAILURE;
  }

  peel::crimerecording::CrimeRecordingServiceImpl service(store->get());
  auto options =
      peel::server::OptionsFromFlags(peel::crimerecording::kServiceName);
  // Calls naming an audit only by id belong to the audit's force (--authz).
  options.auth.force_of_id["audit_id"] =
      [s = store->get()](const std::string& id) {
        auto audit = s->GetAudit(id);
        return audit.ok() ? audit->force() : std::string();
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
