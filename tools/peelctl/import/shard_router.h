#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/shard_map.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

// Where each record of an import goes when its service runs as shards
// (`peelctl import --shard_map`, DESIGN §5): by the record's own `force`
// field; or, for records whose batch names the scope (incident log: --force;
// audited incidents and cancellation reviews: --audit; case reviews:
// --assessment), every record to one shard: the one owning that force, or
// the one that holds that audit or assessment (asked with GetAudit /
// GetAssessment, whose answer names its force).
namespace peel::peelctl {

class ShardRouter {
 public:
  // `batch`: the batch prototype with its batch-level fields set.
  // `channels[i]` reaches `shards[i]`.
  static absl::StatusOr<ShardRouter> Create(
      const std::vector<server::ShardSpec>& shards,
      const google::protobuf::MethodDescriptor* method,
      const google::protobuf::Message& batch,
      const std::vector<std::shared_ptr<grpc::Channel>>& channels);

  // The shard of every record, or -1 when each record is routed by its own
  // force.
  int fixed_shard() const { return fixed_; }

  // The shard of `record`; -1 with the reason when no shard owns its force.
  int ShardOf(const google::protobuf::Message& record, std::string* why) const;

 private:
  std::vector<server::ShardSpec> shards_;
  const google::protobuf::FieldDescriptor* force_ = nullptr;  // in a record
  int fixed_ = -1;
};

}  // namespace peel::peelctl
