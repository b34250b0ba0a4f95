#include "services/gateway/version_watch.h"

#include <algorithm>
#include <utility>

#include "grpcpp/grpcpp.h"

namespace peel::gateway {

using peel::admin::v1::WatchDataVersionRequest;
using peel::admin::v1::WatchDataVersionResponse;

VersionWatch::VersionWatch(std::shared_ptr<grpc::Channel> channel,
                           VersionWatchOptions options)
    : options_(options),
      stub_(peel::admin::v1::Admin::NewStub(std::move(channel))),
      reader_([this] { ReadLoop(); }),
      pinger_([this] { PingLoop(); }) {}

VersionWatch::~VersionWatch() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    if (context_) context_->TryCancel();
  }
  wake_.notify_all();
  pinger_.join();
  reader_.join();
}

std::optional<uint64_t> VersionWatch::Trusted() const {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (stream_ == nullptr || now >= trusted_until_) return std::nullopt;
  return version_;
}

bool VersionWatch::Send(const WatchDataVersionRequest& request,
                        const std::shared_ptr<Stream>& stream) {
  std::lock_guard<std::mutex> write(write_mu_);
  {
    // Never on a stream the reader has given up (and may be finishing).
    std::lock_guard<std::mutex> lock(mu_);
    if (stream_ != stream) return false;
  }
  return stream->Write(request);
}

void VersionWatch::ReadLoop() {
  std::chrono::milliseconds backoff{100};
  while (true) {
    auto context = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      context_ = context;
    }
    std::shared_ptr<Stream> stream = stub_->WatchDataVersion(context.get());
    WatchDataVersionRequest first;
    first.set_lease_ms(static_cast<uint32_t>(options_.lease.count()));
    {
      std::lock_guard<std::mutex> lock(mu_);
      first.set_ping(++next_ping_);
      pings_.assign(1, {first.ping(), Clock::now()});
      // Versions only grow within one stream: a shard restored from an
      // older checkpoint reports a lower one, which must not be masked by
      // what its predecessor reported.
      version_ = 0;
      stream_ = stream;
    }
    WatchDataVersionResponse response;
    if (Send(first, stream)) {
      uint64_t confirmed = 0;
      while (stream->Read(&response)) {
        backoff = std::chrono::milliseconds(100);
        uint64_t version;
        {
          std::lock_guard<std::mutex> lock(mu_);
          version_ = std::max(version_, response.version());
          version = version_;
          if (response.pong() != 0) {
            // Trusted for the lease after the answered ping was sent: the
            // shard cannot release an unconfirmed write before then.
            while (!pings_.empty() && pings_.front().first <= response.pong()) {
              if (pings_.front().first == response.pong()) {
                trusted_until_ = std::max(
                    trusted_until_, pings_.front().second + options_.lease);
              }
              pings_.pop_front();
            }
          }
        }
        if (version > confirmed) {
          WatchDataVersionRequest seen;
          seen.set_seen(version);
          if (!Send(seen, stream)) break;
          confirmed = version;
        }
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      stream_ = nullptr;
      trusted_until_ = Clock::time_point{};
      pings_.clear();
    }
    context->TryCancel();
    {
      // After any Send in flight (which the cancel ends).
      std::lock_guard<std::mutex> write(write_mu_);
      stream->Finish().ok();  // the reason shows as untrusted; callers ask
    }
    std::unique_lock<std::mutex> lock(mu_);
    context_ = nullptr;
    if (wake_.wait_for(lock, backoff, [this] { return stop_; })) return;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

void VersionWatch::PingLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, options_.ping_every, [this] { return stop_; })) {
    std::shared_ptr<Stream> stream = stream_;
    if (stream == nullptr) continue;
    WatchDataVersionRequest ping;
    ping.set_ping(++next_ping_);
    pings_.emplace_back(ping.ping(), Clock::now());
    if (pings_.size() > 1000) pings_.pop_front();  // never answered
    lock.unlock();
    Send(ping, stream);
    lock.lock();
  }
}

}  // namespace peel::gateway
