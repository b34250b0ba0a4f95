#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "common/auth/options.h"

namespace grpc::experimental {
class ServerInterceptorFactoryInterface;
}

// The server interceptor that enforces the policy table (common/auth/
// policy.h) and writes the audit log. Per call it identifies the caller
// (a valid bearer token, else the verified client certificate's CN), checks
// the role against the method, and checks every received message's forces
// (common/auth/message_fields.h). A refused call ends UNAUTHENTICATED (no
// identity) or PERMISSION_DENIED; its messages are emptied before the
// handler sees them (Neutralise), so nothing of them is stored, and what the
// handler sends back is replaced by an empty message.
namespace peel::auth {

// Null when options.enabled() is false. InvalidArgument for an unreadable
// key file or audit log.
absl::StatusOr<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
MakeAuthInterceptorFactory(const AuthOptions& options);

}  // namespace peel::auth
