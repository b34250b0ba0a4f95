// peelctl's calls to the assessment gateway: one channel, a deadline on
// every call, gRPC status turned into absl::Status (UNAVAILABLE stays
// UNAVAILABLE so the command exits 3).
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"

namespace peel::peelctl {

class GatewayClient {
 public:
  explicit GatewayClient(const std::string& address);

  absl::StatusOr<peel::gateway::v1::ForceAssessment> Assess(
      const std::string& force, const peel::common::v1::Period& period);
  absl::StatusOr<peel::gateway::v1::ForceComparison> Compare(
      const std::string& metric, const peel::common::v1::Period& period);
  absl::StatusOr<peel::gateway::v1::ListMetricsResponse> Metrics();

 private:
  std::string address_;
  std::unique_ptr<peel::gateway::v1::AssessmentGateway::Stub> stub_;
};

// "START..END" or a financial year "2021/22" (2021-04-01..2022-03-31); an
// empty text is the empty period (each backend's latest data).
absl::StatusOr<peel::common::v1::Period> ParsePeriod(const std::string& text);

// The protobuf JSON of a message (field names as in the .proto, indented,
// ending in a newline).
std::string ToJson(const google::protobuf::Message& message);

}  // namespace peel::peelctl
