#include "tools/peelctl/import/batch_streamer.h"

#include <vector>

namespace peel::peelctl {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromBuffer(const grpc::ByteBuffer& buffer,
                peel::common::v1::BatchAck* ack) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return ack->ParseFromString(bytes);
}

}  // namespace

BatchStreamer::BatchStreamer(const std::shared_ptr<grpc::Channel>& channel,
                             const std::string& method, int window,
                             absl::Duration deadline, OnAck on_ack)
    : stub_(channel), on_ack_(std::move(on_ack)), window_(window) {
  context_.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  stub_.PrepareBidiStreamingCall(&context_, method, grpc::StubOptions(), this);
  StartRead(&read_buffer_);
  StartCall();
}

bool BatchStreamer::Send(const std::string& batch) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return failed_ || done_ || unacked_ < window_; });
  if (failed_ || done_) return false;
  ++unacked_;
  pending_.push_back(ToBuffer(batch));
  if (!writing_) StartNextWriteLocked();
  return true;
}

void BatchStreamer::StartNextWriteLocked() {
  if (!pending_.empty()) {
    writing_ = true;
    write_buffer_ = std::move(pending_.front());
    pending_.pop_front();
    StartWrite(&write_buffer_);
  } else if (half_close_requested_ && !half_closed_) {
    half_closed_ = true;
    StartWritesDone();
  }
}

void BatchStreamer::OnWriteDone(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  writing_ = false;
  if (!ok) {
    failed_ = true;
    cv_.notify_all();
    return;
  }
  StartNextWriteLocked();
}

void BatchStreamer::OnReadDone(bool ok) {
  if (!ok) return;  // the stream ended: OnDone follows
  peel::common::v1::BatchAck ack;
  if (FromBuffer(read_buffer_, &ack) && on_ack_) on_ack_(ack);
  {
    std::lock_guard<std::mutex> lock(mu_);
    --unacked_;
    cv_.notify_all();
  }
  StartRead(&read_buffer_);
}

void BatchStreamer::OnDone(const grpc::Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  status_ = status;
  done_ = true;
  if (!status.ok()) failed_ = true;
  cv_.notify_all();
}

grpc::Status BatchStreamer::Finish() {
  std::unique_lock<std::mutex> lock(mu_);
  half_close_requested_ = true;
  if (!writing_ && !failed_ && !done_) StartNextWriteLocked();
  cv_.wait(lock, [&] { return done_; });
  return status_;
}

}  // namespace peel::peelctl
