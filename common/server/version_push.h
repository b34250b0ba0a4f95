#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "peel/admin/v1/admin.grpc.pb.h"

namespace grpc {
namespace experimental {
class ServerInterceptorFactoryInterface;
}
}  // namespace grpc

// The server side of peel.admin.v1.Admin/WatchDataVersion (admin.proto): a
// store service pushes its data version to subscribed caches (the gateway)
// and holds back the acknowledgement of each write until every subscriber
// has confirmed a version at least the write's, or has been cut off after
// its lease. Why this keeps a cache that trusts pushed versions for a lease
// after each answered ping from ever serving data older than an
// acknowledged write: docs/gateway.md, "Pushed data versions".
namespace peel::server {

// The longest lease a WatchDataVersion subscriber may declare: how long a
// stuck subscriber can hold back a write's acknowledgement.
inline constexpr uint32_t kMaxLeaseMs = 10000;

class VersionBroadcaster {
 public:
  using Clock = std::chrono::steady_clock;

  // One subscriber, as the broadcaster sees it.
  class Subscriber {
   public:
    virtual ~Subscriber() = default;
    // Send the current version soon (a push).
    virtual void Push() = 0;
    // End the subscription: the subscriber did not confirm in time.
    virtual void CutOff() = 0;
  };

  // `current` is the service's data version (what GetDataVersion reports).
  explicit VersionBroadcaster(std::function<uint64_t()> current);
  ~VersionBroadcaster();
  VersionBroadcaster(const VersionBroadcaster&) = delete;
  VersionBroadcaster& operator=(const VersionBroadcaster&) = delete;

  uint64_t Current() const { return current_(); }

  // A subscriber with the lease it declared; confirmed versions start at 0.
  void Add(std::shared_ptr<Subscriber> s, std::chrono::milliseconds lease);
  void Remove(const Subscriber* s);
  void Confirmed(const Subscriber* s, uint64_t seen);

  // Runs `done` once every subscriber present now has confirmed a version
  // at least Current() (read now), or has been cut off for not doing so
  // within its lease; at once, on this thread, when none needs to. `done`
  // runs without the broadcaster's lock held, on the thread of the
  // confirmation or of the lease timer.
  void AwaitConfirmed(std::function<void()> done);

  size_t subscribers() const {
    return subscriber_count_.load(std::memory_order_acquire);
  }

 private:
  struct Entry {
    std::shared_ptr<Subscriber> subscriber;
    std::chrono::milliseconds lease;
    uint64_t confirmed = 0;
  };
  struct Waiter {
    uint64_t version;
    std::vector<const Subscriber*> pending;
    Clock::time_point deadline;
    std::function<void()> done;
  };

  // Drops subscriber `s` and removes it from every waiter; moves the
  // waiters that then wait for nobody to `ready`.
  void ForgetLocked(const Subscriber* s,
                    std::vector<std::function<void()>>* ready);
  void TimerLoop();

  std::function<uint64_t()> current_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Entry> entries_;
  std::vector<Waiter> waiters_;
  std::atomic<size_t> subscriber_count_{0};
  bool stop_ = false;
  std::thread timer_;
};

// peel.admin.v1.Admin/WatchDataVersion on `broadcaster`.
grpc::ServerBidiReactor<peel::admin::v1::WatchDataVersionRequest,
                        peel::admin::v1::WatchDataVersionResponse>*
NewVersionWatchReactor(VersionBroadcaster* broadcaster);

// Holds every response and status of a write method (common/auth's policy
// table: write(), or a method it does not know) until
// broadcaster->AwaitConfirmed says so.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeWriteAckInterceptorFactory(VersionBroadcaster* broadcaster);

}  // namespace peel::server
