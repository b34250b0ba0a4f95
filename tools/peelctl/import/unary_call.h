#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

namespace peel::peelctl {

// One blocking unary call of any method by name ("/pkg.Service/Method"),
// with messages known only by their descriptors.
grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel,
                       const std::string& rpc,
                       const google::protobuf::Message& request,
                       google::protobuf::Message* response,
                       absl::Duration deadline = absl::Seconds(10));

}  // namespace peel::peelctl
