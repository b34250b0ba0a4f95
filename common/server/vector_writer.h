#pragma once

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/status_conversion.h"
#include "grpcpp/support/server_callback.h"

// A server-streaming reply computed up front: writes each message in turn,
// stops early if the client cancels, and finishes with the status.
namespace peel::server {

template <typename Message>
class VectorWriter : public grpc::ServerWriteReactor<Message> {
 public:
  explicit VectorWriter(absl::StatusOr<std::vector<Message>> messages) {
    if (!messages.ok()) {
      this->Finish(ToGrpcStatus(messages.status()));
      return;
    }
    messages_ = std::move(*messages);
    Next();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    Next();
  }

  void OnDone() override { delete this; }

 private:
  void Next() {
    if (next_ == messages_.size()) {
      this->Finish(grpc::Status::OK);
      return;
    }
    this->StartWrite(&messages_[next_++]);
  }

  std::vector<Message> messages_;
  size_t next_ = 0;
};

}  // namespace peel::server
