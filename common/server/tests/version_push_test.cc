// The write-acknowledgement hold of pushed data versions, without gRPC:
// released by confirmations of a version at least the write's, by a
// subscriber leaving, or after the longest lease (cutting the laggard off).
#include "common/server/version_push.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include "gtest/gtest.h"

namespace peel::server {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class FakeSubscriber : public VersionBroadcaster::Subscriber {
 public:
  void Push() override { ++pushes; }
  void CutOff() override { ++cut_offs; }
  std::atomic<int> pushes{0};
  std::atomic<int> cut_offs{0};
};

struct Fixture {
  std::atomic<uint64_t> version{10};
  VersionBroadcaster broadcaster{[this] { return version.load(); }};
};

TEST(VersionBroadcaster, NoSubscriberReleasesAtOnce) {
  Fixture f;
  bool done = false;
  f.broadcaster.AwaitConfirmed([&] { done = true; });
  EXPECT_TRUE(done);
}

TEST(VersionBroadcaster, ReleasedWhenEverySubscriberConfirmsTheVersion) {
  Fixture f;
  auto a = std::make_shared<FakeSubscriber>();
  auto b = std::make_shared<FakeSubscriber>();
  f.broadcaster.Add(a, milliseconds(10000));
  f.broadcaster.Add(b, milliseconds(10000));
  std::atomic<bool> done{false};
  f.broadcaster.AwaitConfirmed([&] { done = true; });
  EXPECT_FALSE(done);
  EXPECT_EQ(a->pushes, 1);
  EXPECT_EQ(b->pushes, 1);
  f.broadcaster.Confirmed(a.get(), 10);
  EXPECT_FALSE(done);
  f.broadcaster.Confirmed(b.get(), 9);  // older than the write: not enough
  EXPECT_FALSE(done);
  f.broadcaster.Confirmed(b.get(), 11);
  EXPECT_TRUE(done);
  EXPECT_EQ(a->cut_offs + b->cut_offs, 0);

  // a holds 10 and b 11: another write at 10 needs nobody; one at 11
  // needs a only.
  bool at_once = false;
  f.broadcaster.AwaitConfirmed([&] { at_once = true; });
  EXPECT_TRUE(at_once);
  EXPECT_EQ(a->pushes, 1);
  f.version = 11;
  std::atomic<bool> later{false};
  f.broadcaster.AwaitConfirmed([&] { later = true; });
  EXPECT_FALSE(later);
  EXPECT_EQ(a->pushes, 2);
  EXPECT_EQ(b->pushes, 1);
  f.broadcaster.Confirmed(a.get(), 11);
  EXPECT_TRUE(later);
}

TEST(VersionBroadcaster, SubscriberLeavingReleasesWhatWaitedForIt) {
  Fixture f;
  auto a = std::make_shared<FakeSubscriber>();
  f.broadcaster.Add(a, milliseconds(10000));
  std::atomic<bool> done{false};
  f.broadcaster.AwaitConfirmed([&] { done = true; });
  EXPECT_FALSE(done);
  f.broadcaster.Remove(a.get());
  EXPECT_TRUE(done);
  EXPECT_EQ(f.broadcaster.subscribers(), 0u);
}

TEST(VersionBroadcaster, LaggardIsCutOffNoSoonerThanTheLongestLease) {
  Fixture f;
  auto quick = std::make_shared<FakeSubscriber>();
  auto laggard = std::make_shared<FakeSubscriber>();
  f.broadcaster.Add(quick, milliseconds(50));
  f.broadcaster.Add(laggard, milliseconds(300));
  std::promise<Clock::time_point> released;
  const auto start = Clock::now();
  f.broadcaster.AwaitConfirmed([&] { released.set_value(Clock::now()); });
  f.broadcaster.Confirmed(quick.get(), 10);
  auto when = released.get_future();
  ASSERT_EQ(when.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  // The laggard may trust a pong from before the write for 300 ms.
  EXPECT_GE(when.get() - start, milliseconds(300));
  EXPECT_EQ(laggard->cut_offs, 1);
  EXPECT_EQ(quick->cut_offs, 0);
  EXPECT_EQ(f.broadcaster.subscribers(), 1u);

  // Gone, it holds nothing back.
  f.version = 12;
  std::atomic<bool> done{false};
  f.broadcaster.AwaitConfirmed([&] { done = true; });
  EXPECT_FALSE(done);
  f.broadcaster.Confirmed(quick.get(), 12);
  EXPECT_TRUE(done);
}

TEST(VersionBroadcaster, DestructionReleasesEveryWaiter) {
  auto f = std::make_unique<Fixture>();
  auto a = std::make_shared<FakeSubscriber>();
  f->broadcaster.Add(a, milliseconds(10000));
  std::atomic<int> done{0};
  f->broadcaster.AwaitConfirmed([&] { ++done; });
  f->broadcaster.AwaitConfirmed([&] { ++done; });
  EXPECT_EQ(done, 0);
  f.reset();
  EXPECT_EQ(done, 2);
}

}  // namespace
}  // namespace peel::server
