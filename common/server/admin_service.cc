#include "common/server/admin_service.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/server/metrics.h"
#include "common/server/unary.h"
#include "common/store/store.h"
#include "common/util/log.h"
#include "common/validation/field_violations.h"

namespace peel::server {

namespace fs = std::filesystem;
using peel::admin::v1::CreateCheckpointResponse;

grpc::ServerUnaryReactor* AdminServiceImpl::CreateCheckpoint(
    grpc::CallbackServerContext* ctx,
    const peel::admin::v1::CreateCheckpointRequest* req,
    CreateCheckpointResponse* resp) {
  const fs::path dir(req->dir());
  validation::FieldViolations v;
  std::error_code ec;
  if (req->dir().empty()) {
    v.Add("dir", "required: an absolute path on the server's machine");
  } else if (!dir.is_absolute()) {
    v.Add("dir", absl::StrCat("'", req->dir(), "' is not an absolute path"));
  } else if (fs::exists(dir, ec)) {
    v.Add("dir", absl::StrCat("'", req->dir(), "' already exists"));
  } else if (!fs::is_directory(dir.parent_path(), ec)) {
    v.Add("dir", absl::StrCat("the parent of '", req->dir(),
                              "' is not an existing folder"));
  }
  if (!v.empty()) {
    return Reply<CreateCheckpointResponse>(ctx, v.ToStatus(), resp);
  }
  absl::StatusOr<uint64_t> version = store::CheckpointOpenStore(req->dir());
  if (!version.ok()) {
    return Reply<CreateCheckpointResponse>(ctx, version.status(), resp);
  }
  CreateCheckpointResponse out;
  out.set_dir(req->dir());
  out.set_data_version(*version);
  out.set_bytes(DirectoryBytes(req->dir()));
  log::Info(absl::StrCat("checkpoint of data version ", *version, " in ",
                         req->dir()));
  return Reply(ctx, absl::StatusOr<CreateCheckpointResponse>(std::move(out)),
               resp);
}

grpc::ServerBidiReactor<peel::admin::v1::WatchDataVersionRequest,
                        peel::admin::v1::WatchDataVersionResponse>*
AdminServiceImpl::WatchDataVersion(grpc::CallbackServerContext*) {
  return NewVersionWatchReactor(versions_);
}

}  // namespace peel::server
