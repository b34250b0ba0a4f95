#pragma once

#include <atomic>
#include <functional>
#include <utility>

namespace peel::gateway {

// Counts outstanding replies of a fan-out and runs `on_last` once, on the
// thread of the last reply, then deletes itself. Create it with one extra
// count held by the launcher and call Done() after launching everything, so
// a fast reply cannot finish the fan-out before the rest is launched.
class Join {
 public:
  Join(int count, std::function<void()> on_last)
      : remaining_(count), on_last_(std::move(on_last)) {}
  void Done() {
    if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      on_last_();
      delete this;
    }
  }

 private:
  ~Join() = default;
  std::atomic<int> remaining_;
  std::function<void()> on_last_;
};

}  // namespace peel::gateway
