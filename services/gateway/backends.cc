#include "services/gateway/backends.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/reference/forces.h"
#include "grpcpp/grpcpp.h"

namespace peel::gateway {

BackendPool::BackendPool(v1::Backend backend, std::vector<ShardSpec> specs,
                         std::shared_ptr<grpc::ChannelCredentials> credentials)
    : backend_(backend) {
  if (!credentials) credentials = grpc::InsecureChannelCredentials();
  for (auto& spec : specs) {
    grpc::ChannelArguments args;
    // Reconnect quickly after a backend restarts, so its areas come back.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    Shard shard;
    shard.channel = grpc::CreateCustomChannel(spec.address, credentials, args);
    shard.spec = std::move(spec);
    shards_.push_back(std::move(shard));
  }
}

const Shard* BackendPool::ShardFor(absl::string_view force) const {
  const Shard* catch_all = nullptr;
  for (const Shard& s : shards_) {
    if (s.spec.forces.empty()) {
      catch_all = &s;
    } else if (s.spec.forces.count(std::string(force)) > 0) {
      return &s;
    }
  }
  return catch_all;
}

std::vector<std::string> BackendPool::addresses() const {
  std::vector<std::string> out;
  for (const Shard& s : shards_) out.push_back(s.spec.address);
  return out;
}

void BackendPool::WatchVersions(const VersionWatchOptions& options) {
  for (Shard& s : shards_) {
    s.watch = std::make_shared<VersionWatch>(s.channel, options);
  }
}

}  // namespace peel::gateway
