#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace peel::server {

// absl::Status → grpc::Status at the service edge. A google.rpc.BadRequest
// payload (see common/validation) travels as a google.rpc.Status in
// grpc-status-details-bin, so clients can read the field violations.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace peel::server
