#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace grpc {
class ChannelCredentials;
}

namespace peel::server {

// Asks grpc.health.v1.Health/Check once (bounded by `timeout`); OK when
// `service_name` is SERVING.
absl::Status CheckServing(const std::string& address,
                          const std::string& service_name,
                          absl::Duration timeout = absl::Milliseconds(500),
                          std::shared_ptr<grpc::ChannelCredentials>
                              credentials = nullptr);  // null: plaintext

// Polls until `service_name` answers SERVING on `address`, up to `timeout`.
absl::Status WaitForServing(
    const std::string& address, const std::string& service_name,
    absl::Duration timeout,
    std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);

}  // namespace peel::server
