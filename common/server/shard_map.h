#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Which shard of a store service owns a force (DESIGN §5). A shard map is a
// comma-separated list of shards, each `ADDRESS` or `FORCE+FORCE+...@ADDRESS`:
//
//   metropolitan+kent@10.0.0.1:50051,10.0.0.2:50051
//
// A shard that names forces owns exactly those; the one shard (at most) that
// names none owns every other force. The gateway's --<service>_addr flags
// and `peelctl import --shard_map` read the same syntax.
namespace peel::server {

struct ShardSpec {
  std::string address;
  std::set<std::string> forces;  // empty: owns every force not named
};

// Empty text: no shards. InvalidArgument naming `flag` for an empty
// address, an unknown force, a force owned by two shards or two catch-all
// shards.
absl::StatusOr<std::vector<ShardSpec>> ParseShardSpecs(absl::string_view text,
                                                       absl::string_view flag);

// Index in `shards` of the shard owning `force`, or -1 when none does.
int ShardOwning(const std::vector<ShardSpec>& shards, absl::string_view force);

}  // namespace peel::server
