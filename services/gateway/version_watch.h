#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "peel/admin/v1/admin.grpc.pb.h"

namespace grpc {
class Channel;
class ClientContext;
}  // namespace grpc

// One backend shard's data version, pushed (peel.admin.v1.Admin/
// WatchDataVersion, common/server/version_push.h): the gateway's caches may
// use it without a GetDataVersion call while it is trusted, i.e. for the
// lease after sending a ping whose pong has arrived. The shard holds every
// write's acknowledgement until this watch has confirmed the write's
// version, or until the lease has run out since the push (and then cuts the
// watch off), so a trusted version is never older than an acknowledged
// write. docs/gateway.md, "Pushed data versions".
namespace peel::gateway {

struct VersionWatchOptions {
  std::chrono::milliseconds lease{100};
  std::chrono::milliseconds ping_every{10};
};

class VersionWatch {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects at once and keeps reconnecting (100 ms to 1 s apart) until
  // destroyed.
  VersionWatch(std::shared_ptr<grpc::Channel> channel,
               VersionWatchOptions options);
  ~VersionWatch();
  VersionWatch(const VersionWatch&) = delete;
  VersionWatch& operator=(const VersionWatch&) = delete;

  // The shard's data version when it may be used without asking; nullopt
  // when not connected or no pong came back within the lease.
  std::optional<uint64_t> Trusted() const;

 private:
  using Stream =
      grpc::ClientReaderWriter<peel::admin::v1::WatchDataVersionRequest,
                               peel::admin::v1::WatchDataVersionResponse>;

  void ReadLoop();
  void PingLoop();
  // Sends `request` on the current stream (one writer at a time); false
  // when there is none or the write failed.
  bool Send(const peel::admin::v1::WatchDataVersionRequest& request,
            const std::shared_ptr<Stream>& stream);

  const VersionWatchOptions options_;
  std::unique_ptr<peel::admin::v1::Admin::Stub> stub_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::shared_ptr<grpc::ClientContext> context_;  // of the current stream
  std::shared_ptr<Stream> stream_;
  uint64_t version_ = 0;
  Clock::time_point trusted_until_{};
  uint64_t next_ping_ = 0;
  std::deque<std::pair<uint64_t, Clock::time_point>> pings_;  // unanswered

  std::mutex write_mu_;  // one Write at a time on a stream
  std::thread reader_;
  std::thread pinger_;
};

}  // namespace peel::gateway
