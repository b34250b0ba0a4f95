#pragma once

#include "common/server/version_push.h"
#include "peel/admin/v1/admin.grpc.pb.h"

namespace peel::server {

// peel.admin.v1.Admin: registered by RunServer in every service.
// CreateCheckpoint writes a RocksDB checkpoint of the store this process has
// open (common/store's CheckpointOpenStore) while the service keeps
// serving. The checkpoint runs on the calling gRPC thread: it is hard links
// and a short flush, not a copy of the data. WatchDataVersion pushes the
// service's data version through `versions` (version_push.h); a server
// without one refuses it (FAILED_PRECONDITION).
class AdminServiceImpl final : public peel::admin::v1::Admin::CallbackService {
 public:
  explicit AdminServiceImpl(VersionBroadcaster* versions = nullptr)
      : versions_(versions) {}

  grpc::ServerUnaryReactor* CreateCheckpoint(
      grpc::CallbackServerContext* ctx,
      const peel::admin::v1::CreateCheckpointRequest* req,
      peel::admin::v1::CreateCheckpointResponse* resp) override;

  grpc::ServerBidiReactor<peel::admin::v1::WatchDataVersionRequest,
                          peel::admin::v1::WatchDataVersionResponse>*
  WatchDataVersion(grpc::CallbackServerContext* ctx) override;

 private:
  VersionBroadcaster* versions_;
};

}  // namespace peel::server
