#pragma once

#include <functional>
#include <utility>

#include "absl/status/statusor.h"
#include "common/server/status_conversion.h"
#include "grpcpp/support/server_callback.h"
#include "peel/common/v1/common.pb.h"

// The bidirectional ingest stream every store service offers: the client
// sends batches; each batch is applied (atomically, through the WAL) and
// answered with its acknowledgement before the next is read. A batch-level
// error (empty batch, unknown parent, too many records) ends the stream with
// that status; what was acknowledged before stays.
namespace peel::server {

template <typename Batch>
class BatchIngestReactor
    : public grpc::ServerBidiReactor<Batch, peel::common::v1::BatchAck> {
 public:
  using Apply =
      std::function<absl::StatusOr<peel::common::v1::BatchAck>(const Batch&)>;

  explicit BatchIngestReactor(Apply apply) : apply_(std::move(apply)) {
    this->StartRead(&batch_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // client half-closed (or the call was cancelled)
      this->Finish(grpc::Status::OK);
      return;
    }
    absl::StatusOr<peel::common::v1::BatchAck> ack = apply_(batch_);
    if (!ack.ok()) {
      this->Finish(ToGrpcStatus(ack.status()));
      return;
    }
    ack_ = std::move(*ack);
    this->StartWrite(&ack_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                "client went away before the ack was sent"));
      return;
    }
    batch_.Clear();
    this->StartRead(&batch_);
  }

  void OnDone() override { delete this; }

 private:
  Apply apply_;
  Batch batch_;
  peel::common::v1::BatchAck ack_;
};

}  // namespace peel::server
