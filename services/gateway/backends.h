#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/server/shard_map.h"
#include "peel/gateway/v1/gateway.pb.h"
#include "services/gateway/version_watch.h"

namespace grpc {
class Channel;
class ChannelCredentials;
}  // namespace grpc

// Service routing. A backend flag is a comma-separated list of shards; each
// shard is `ADDRESS` or `FORCE+FORCE+...@ADDRESS`:
//
//   --crime_recording_addr=localhost:50051
//   --crime_recording_addr=metropolitan+kent@10.0.0.1:50051,10.0.0.2:50051
//
// A shard that names forces owns exactly those; the one shard (at most) that
// names none owns every other force. Force-scoped calls go to the owning
// shard; national calls go to every shard and their answers are merged.
// Each shard has one long-lived channel, made once at start.
namespace peel::gateway {

// The shard map syntax and its parser are shared with peelctl.
using peel::server::ParseShardSpecs;
using peel::server::ShardSpec;

struct Shard {
  ShardSpec spec;
  std::shared_ptr<grpc::Channel> channel;
  // The shard's pushed data version; null when the gateway always asks.
  std::shared_ptr<VersionWatch> watch;
};

class BackendPool {
 public:
  // `credentials`: null for plaintext, else (mutual) TLS to every shard.
  BackendPool(v1::Backend backend, std::vector<ShardSpec> specs,
              std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);

  v1::Backend backend() const { return backend_; }
  bool configured() const { return !shards_.empty(); }
  // The shard owning `force`, or nullptr when none does.
  const Shard* ShardFor(absl::string_view force) const;
  const std::vector<Shard>& shards() const { return shards_; }
  std::vector<std::string> addresses() const;
  // Subscribes to every shard's pushed data version (--version_lease_ms).
  void WatchVersions(const VersionWatchOptions& options);

 private:
  v1::Backend backend_;
  std::vector<Shard> shards_;
};

}  // namespace peel::gateway
