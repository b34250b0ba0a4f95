// Pushed data versions against a real soc-disruptions process: the version
// the gateway's watch trusts is never older than a write the backend has
// acknowledged, and a subscriber that does not confirm holds writes back for
// its lease, then is cut off.
#include "services/gateway/version_watch.h"

#include <chrono>
#include <optional>
#include <thread>

#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/admin/v1/admin.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "services/gateway/tests/env.h"
#include "services/soc-disruptions/tests/met_fixture.h"

namespace peel::gateway {
namespace {

namespace soc = ::peel::soc::v1;
using Clock = std::chrono::steady_clock;

class VersionWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = peel::testing::ServerProcess::Start(
        {testing::Env("PEEL_SOC_DISRUPTIONS_BIN"),
         "peel.soc.v1.SocDisruptionService",
         dir_.Sub("data"),
         dir_.path(),
         {}});
    ASSERT_TRUE(p.ok()) << p.status();
    soc_ = std::move(*p);
    channel_ = grpc::CreateChannel(soc_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = soc::SocDisruptionService::NewStub(channel_);
  }

  uint64_t AskVersion() {
    grpc::ClientContext ctx;
    peel::common::v1::DataVersion v;
    EXPECT_TRUE(stub_->GetDataVersion(&ctx, {}, &v).ok());
    return v.version();
  }

  grpc::Status Register(const soc::OrganisedCrimeGroup& g) {
    soc::RegisterGroupRequest req;
    *req.mutable_group() = g;
    soc::OrganisedCrimeGroup resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    return stub_->RegisterGroup(&ctx, req, &resp);
  }

  peel::testing::TempDir dir_{"version-watch"};
  std::unique_ptr<peel::testing::ServerProcess> soc_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<soc::SocDisruptionService::Stub> stub_;
};

// Waits (bounded) until the watch is trusted.
bool WaitTrusted(const VersionWatch& w) {
  const auto end = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < end) {
    if (w.Trusted().has_value()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST_F(VersionWatchTest, TrustedVersionIsNeverOlderThanAnAcknowledgedWrite) {
  VersionWatchOptions options;
  options.lease = std::chrono::milliseconds(2000);  // slow machines too
  options.ping_every = std::chrono::milliseconds(10);
  VersionWatch watch(channel_, options);
  ASSERT_TRUE(WaitTrusted(watch));
  EXPECT_EQ(*watch.Trusted(), AskVersion());

  // Unary writes: each group registration, then at once the watch.
  int trusted = 0;
  const auto groups = peel::soc::testing::MetGroups();
  for (size_t i = 0; i < 40; ++i) {
    ASSERT_TRUE(Register(groups[i]).ok());
    const uint64_t written = AskVersion();  // no other writer
    if (auto v = watch.Trusted()) {
      ++trusted;
      EXPECT_GE(*v, written) << "group " << i;
    }
  }
  for (size_t i = 40; i < groups.size(); ++i) {
    ASSERT_TRUE(Register(groups[i]).ok());
  }

  // Stream writes: each batch's acknowledgement, then at once the watch.
  grpc::ClientContext ctx;
  auto stream = stub_->IngestDisruptions(&ctx);
  for (const auto& batch :
       peel::soc::testing::Batches(peel::soc::testing::MetDisruptions(), 500)) {
    ASSERT_TRUE(stream->Write(batch));
    peel::common::v1::BatchAck ack;
    ASSERT_TRUE(stream->Read(&ack));
    ASSERT_EQ(ack.rejected(), 0);
    const uint64_t written = AskVersion();
    if (auto v = watch.Trusted()) {
      ++trusted;
      EXPECT_GE(*v, written);
    }
  }
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());
  // The pushed path was exercised, not only the fallback.
  EXPECT_GT(trusted, 40);
}

TEST_F(VersionWatchTest, SubscriberThatDoesNotConfirmHoldsWritesForItsLease) {
  auto admin = peel::admin::v1::Admin::NewStub(channel_);
  grpc::ClientContext ctx;
  auto stream = admin->WatchDataVersion(&ctx);
  peel::admin::v1::WatchDataVersionRequest first;
  first.set_lease_ms(400);
  first.set_ping(1);
  ASSERT_TRUE(stream->Write(first));
  peel::admin::v1::WatchDataVersionResponse r;
  ASSERT_TRUE(stream->Read(&r));  // the version it starts from (and pong 1)
  const uint64_t before = r.version();
  EXPECT_EQ(before, AskVersion());

  // Never confirms: the registration is acknowledged no sooner than the
  // lease after the push, and the subscriber is cut off.
  const auto start = Clock::now();
  ASSERT_TRUE(Register(peel::soc::testing::MetGroups()[0]).ok());
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(400));
  uint64_t pushed = 0;
  while (stream->Read(&r)) pushed = std::max(pushed, r.version());
  EXPECT_GT(pushed, before);  // it was told
  grpc::Status end = stream->Finish();
  EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE)
      << end.error_message();

  // Cut off, it is no longer waited for: with a confirming watch beside,
  // the next write's version is held by the watch when it is acknowledged.
  VersionWatchOptions options;
  options.lease = std::chrono::milliseconds(2000);  // slow machines too
  VersionWatch watch(channel_, options);
  ASSERT_TRUE(WaitTrusted(watch));
  ASSERT_TRUE(Register(peel::soc::testing::MetGroups()[1]).ok());
  const uint64_t written = AskVersion();
  std::optional<uint64_t> v = watch.Trusted();
  ASSERT_TRUE(v.has_value());
  EXPECT_GE(*v, written);
}

TEST_F(VersionWatchTest, LeaseOutOfRangeIsRefusedNamingTheField) {
  auto admin = peel::admin::v1::Admin::NewStub(channel_);
  for (uint32_t lease : {0u, 10001u}) {
    grpc::ClientContext ctx;
    auto stream = admin->WatchDataVersion(&ctx);
    peel::admin::v1::WatchDataVersionRequest first;
    first.set_lease_ms(lease);
    stream->Write(first);
    peel::admin::v1::WatchDataVersionResponse r;
    EXPECT_FALSE(stream->Read(&r));
    grpc::Status s = stream->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("lease_ms"), std::string::npos);
  }
}

}  // namespace
}  // namespace peel::gateway
