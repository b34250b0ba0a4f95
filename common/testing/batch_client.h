#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "peel/common/v1/common.pb.h"

// Sends batches over one bidirectional ingest stream, one ack per batch,
// with the synchronous client API (tests and simple tools).
namespace peel::testing {

template <typename Batch, typename OpenStream>
absl::StatusOr<std::vector<peel::common::v1::BatchAck>> SendBatches(
    OpenStream open, const std::vector<Batch>& batches,
    std::chrono::seconds deadline = std::chrono::seconds(60)) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + deadline);
  auto stream = open(&ctx);
  std::vector<peel::common::v1::BatchAck> acks;
  for (const Batch& b : batches) {
    if (!stream->Write(b)) break;
    peel::common::v1::BatchAck ack;
    if (!stream->Read(&ack)) break;
    acks.push_back(std::move(ack));
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat(status.error_message(), " (after ",
                                     acks.size(), " acks)"));
  }
  return acks;
}

}  // namespace peel::testing
