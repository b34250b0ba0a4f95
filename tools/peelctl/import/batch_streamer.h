#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "peel/common/v1/common.pb.h"

// One bidirectional ingest stream for any service, by method name, with up
// to `window` batches in flight: the caller keeps parsing while earlier
// batches are written and acknowledged.
namespace peel::peelctl {

class BatchStreamer
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  using OnAck = std::function<void(const peel::common::v1::BatchAck&)>;

  BatchStreamer(const std::shared_ptr<grpc::Channel>& channel,
                const std::string& method, int window, absl::Duration deadline,
                OnAck on_ack);

  // Queues a serialized batch; blocks while `window` are unacknowledged.
  // False once the stream has failed.
  bool Send(const std::string& batch);
  // Half-closes, waits for every ack and the final status.
  grpc::Status Finish();

  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnWritesDoneDone(bool ok) override {}
  void OnDone(const grpc::Status& status) override;

 private:
  void StartNextWriteLocked();

  grpc::ClientContext context_;
  grpc::GenericStub stub_;
  OnAck on_ack_;
  const int window_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<grpc::ByteBuffer> pending_;  // queued, not yet written
  bool writing_ = false;
  bool half_close_requested_ = false;
  bool half_closed_ = false;
  int unacked_ = 0;
  bool failed_ = false;
  bool done_ = false;
  grpc::Status status_;

  grpc::ByteBuffer write_buffer_;
  grpc::ByteBuffer read_buffer_;
};

}  // namespace peel::peelctl
