#include "common/server/version_push.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/policy.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace peel::server {

using peel::admin::v1::WatchDataVersionRequest;
using peel::admin::v1::WatchDataVersionResponse;

// ---------------------------------------------------------------------------
// The broadcaster.

VersionBroadcaster::VersionBroadcaster(std::function<uint64_t()> current)
    : current_(std::move(current)), timer_([this] { TimerLoop(); }) {}

VersionBroadcaster::~VersionBroadcaster() {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    for (Waiter& w : waiters_) ready.push_back(std::move(w.done));
    waiters_.clear();
  }
  wake_.notify_all();
  timer_.join();
  for (auto& done : ready) done();
}

void VersionBroadcaster::Add(std::shared_ptr<Subscriber> s,
                             std::chrono::milliseconds lease) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back({std::move(s), lease, 0});
  subscriber_count_.store(entries_.size(), std::memory_order_release);
}

void VersionBroadcaster::Remove(const Subscriber* s) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ForgetLocked(s, &ready);
  }
  for (auto& done : ready) done();
}

void VersionBroadcaster::Confirmed(const Subscriber* s, uint64_t seen) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Entry& e : entries_) {
      if (e.subscriber.get() == s) e.confirmed = std::max(e.confirmed, seen);
    }
    for (auto w = waiters_.begin(); w != waiters_.end();) {
      if (seen >= w->version) {
        w->pending.erase(std::remove(w->pending.begin(), w->pending.end(), s),
                         w->pending.end());
      }
      if (w->pending.empty()) {
        ready.push_back(std::move(w->done));
        w = waiters_.erase(w);
      } else {
        ++w;
      }
    }
  }
  for (auto& done : ready) done();
}

void VersionBroadcaster::AwaitConfirmed(std::function<void()> done) {
  if (subscriber_count_.load(std::memory_order_acquire) == 0) {
    done();
    return;
  }
  // Read after the write's effects are visible (the caller is about to
  // acknowledge it), so at least the write's version.
  const uint64_t version = current_();
  std::vector<std::shared_ptr<Subscriber>> push;
  bool waiting = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Waiter w{version, {}, Clock::now(), nullptr};
    std::chrono::milliseconds longest{0};
    for (const Entry& e : entries_) {
      if (e.confirmed >= version) continue;
      w.pending.push_back(e.subscriber.get());
      push.push_back(e.subscriber);
      longest = std::max(longest, e.lease);
    }
    if (!w.pending.empty()) {
      // Released unconfirmed no sooner than the longest lease: until then
      // the laggard may still trust a pong sent before this write.
      w.deadline += longest;
      w.done = std::move(done);
      waiters_.push_back(std::move(w));
      waiting = true;
      wake_.notify_all();
    }
  }
  for (const auto& s : push) s->Push();
  if (!waiting) done();  // every subscriber already holds the version
}

void VersionBroadcaster::ForgetLocked(
    const Subscriber* s, std::vector<std::function<void()>>* ready) {
  entries_.erase(
      std::remove_if(entries_.begin(), entries_.end(),
                     [s](const Entry& e) { return e.subscriber.get() == s; }),
      entries_.end());
  subscriber_count_.store(entries_.size(), std::memory_order_release);
  for (auto w = waiters_.begin(); w != waiters_.end();) {
    w->pending.erase(std::remove(w->pending.begin(), w->pending.end(), s),
                     w->pending.end());
    if (w->pending.empty()) {
      ready->push_back(std::move(w->done));
      w = waiters_.erase(w);
    } else {
      ++w;
    }
  }
}

void VersionBroadcaster::TimerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (waiters_.empty()) {
      wake_.wait(lock);
      continue;
    }
    Clock::time_point first = Clock::time_point::max();
    for (const Waiter& w : waiters_) first = std::min(first, w.deadline);
    if (Clock::now() < first) {
      wake_.wait_until(lock, first);
      continue;
    }
    // Cut off every subscriber an expired waiter still waits for.
    const Clock::time_point now = Clock::now();
    std::vector<const Subscriber*> late;
    for (const Waiter& w : waiters_) {
      if (w.deadline > now) continue;
      late.insert(late.end(), w.pending.begin(), w.pending.end());
    }
    std::vector<std::shared_ptr<Subscriber>> cut;
    std::vector<std::function<void()>> ready;
    for (const Subscriber* s : late) {
      for (const Entry& e : entries_) {
        if (e.subscriber.get() == s) cut.push_back(e.subscriber);
      }
      ForgetLocked(s, &ready);
    }
    lock.unlock();
    for (const auto& s : cut) s->CutOff();
    for (auto& done : ready) done();
    lock.lock();
  }
}

// ---------------------------------------------------------------------------
// The stream.

namespace {

// One WatchDataVersion call. The broadcaster holds its Link, which may
// outlive the reactor: the link forwards pushes and cut-offs only while the
// reactor lives. One write at a time; a push or pong asked for while one is
// in flight goes in the next (a message carries the version when sent, so
// later ones supersede earlier).
class WatchReactor : public grpc::ServerBidiReactor<WatchDataVersionRequest,
                                                    WatchDataVersionResponse> {
 public:
  class Link : public VersionBroadcaster::Subscriber {
   public:
    explicit Link(WatchReactor* r) : reactor_(r) {}
    void Push() override {
      std::unique_lock<std::mutex> lock(mu_);
      if (reactor_ == nullptr) return;
      reactor_->want_push_ = true;
      reactor_->MaybeWrite(&lock);
    }
    void CutOff() override {
      std::unique_lock<std::mutex> lock(mu_);
      if (reactor_ == nullptr) return;
      reactor_->EndLocked(
          grpc::Status(grpc::StatusCode::UNAVAILABLE,
                       "data version not confirmed within the lease"),
          &lock);
    }

   private:
    friend class WatchReactor;
    std::mutex mu_;  // guards reactor_ and the reactor's write state
    WatchReactor* reactor_;
  };

  explicit WatchReactor(VersionBroadcaster* broadcaster)
      : broadcaster_(broadcaster), link_(std::make_shared<Link>(this)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    std::unique_lock<std::mutex> lock(link_->mu_);
    if (!ok) {  // half-closed or cancelled
      EndLocked(grpc::Status::OK, &lock);
      return;
    }
    if (!subscribed_) {
      const uint32_t lease = request_.lease_ms();
      if (lease == 0 || lease > kMaxLeaseMs) {
        EndLocked(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                               absl::StrCat("lease_ms: ", lease,
                                            " is not from 1 to ", kMaxLeaseMs,
                                            " (set it in the first message)")),
                  &lock);
        return;
      }
      subscribed_ = true;
      lock.unlock();
      broadcaster_->Add(link_, std::chrono::milliseconds(lease));
      lock.lock();
      want_push_ = true;  // the version it starts from
    }
    const uint64_t seen = request_.seen();
    if (request_.ping() != 0) pong_ = request_.ping();
    if (ended_ || end_pending_) return;
    MaybeWrite(&lock);
    if (lock.owns_lock()) lock.unlock();
    // No lock of ours is held while calling into gRPC or running the
    // acknowledgements this confirmation releases.
    if (seen != 0) broadcaster_->Confirmed(link_.get(), seen);
    request_.Clear();
    StartRead(&request_);
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock<std::mutex> lock(link_->mu_);
    writing_ = false;
    if (!ok) {
      EndLocked(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"),
                &lock);
      return;
    }
    if (end_pending_) {
      EndLocked(end_status_, &lock);
      return;
    }
    MaybeWrite(&lock);
  }

  void OnDone() override {
    if (subscribed_) broadcaster_->Remove(link_.get());
    {
      std::lock_guard<std::mutex> lock(link_->mu_);
      link_->reactor_ = nullptr;
    }
    delete this;
  }

 private:
  // Starts the next write when one is wanted and none is in flight;
  // releases `lock` before calling into gRPC.
  void MaybeWrite(std::unique_lock<std::mutex>* lock) {
    if (ended_ || end_pending_ || writing_ || (!want_push_ && pong_ == 0)) {
      return;
    }
    response_.set_version(broadcaster_->Current());
    response_.set_pong(pong_);
    pong_ = 0;
    want_push_ = false;
    writing_ = true;
    lock->unlock();
    StartWrite(&response_);
  }

  // Finishes the call once no write is in flight (a finish then waits for
  // OnWriteDone, so the reactor cannot be deleted under a write started by
  // MaybeWrite after the lock was released).
  void EndLocked(grpc::Status status, std::unique_lock<std::mutex>* lock) {
    if (ended_) return;
    if (writing_) {
      if (!end_pending_) end_status_ = std::move(status);
      end_pending_ = true;
      return;
    }
    ended_ = true;
    lock->unlock();
    Finish(std::move(status));
  }

  VersionBroadcaster* broadcaster_;
  std::shared_ptr<Link> link_;
  WatchDataVersionRequest request_;
  WatchDataVersionResponse response_;
  bool subscribed_ = false;  // touched by reads only, which are serial
  // Under link_->mu_:
  bool want_push_ = false;
  uint64_t pong_ = 0;
  bool writing_ = false;
  bool end_pending_ = false;
  grpc::Status end_status_;
  bool ended_ = false;
};

class RefusingReactor
    : public grpc::ServerBidiReactor<WatchDataVersionRequest,
                                     WatchDataVersionResponse> {
 public:
  RefusingReactor() {
    Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this server reports no data version"));
  }
  void OnDone() override { delete this; }
};

// ---------------------------------------------------------------------------
// The acknowledgement hold.

// On write methods only (the factory makes none for the others).
class WriteAckInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit WriteAckInterceptor(VersionBroadcaster* broadcaster)
      : broadcaster_(broadcaster) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    using H = grpc::experimental::InterceptionHookPoints;
    if (m->QueryInterceptionHookPoint(H::PRE_SEND_MESSAGE) ||
        m->QueryInterceptionHookPoint(H::PRE_SEND_STATUS)) {
      broadcaster_->AwaitConfirmed([m] { m->Proceed(); });
      return;
    }
    m->Proceed();
  }

 private:
  VersionBroadcaster* broadcaster_;
};

class WriteAckInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit WriteAckInterceptorFactory(VersionBroadcaster* b)
      : broadcaster_(b) {}
  // None for reads (gRPC then skips this factory for the call): a summary
  // call pays no allocation and no hook for the hold.
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    const auth::MethodRule* rule =
        auth::RuleFor(info->method() != nullptr ? info->method() : "");
    if (rule != nullptr && !rule->write()) return nullptr;
    return new WriteAckInterceptor(broadcaster_);
  }

 private:
  VersionBroadcaster* broadcaster_;
};

}  // namespace

grpc::ServerBidiReactor<WatchDataVersionRequest, WatchDataVersionResponse>*
NewVersionWatchReactor(VersionBroadcaster* broadcaster) {
  if (broadcaster == nullptr) return new RefusingReactor();
  return new WatchReactor(broadcaster);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeWriteAckInterceptorFactory(VersionBroadcaster* broadcaster) {
  return std::make_unique<WriteAckInterceptorFactory>(broadcaster);
}

}  // namespace peel::server
