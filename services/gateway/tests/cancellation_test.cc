// The gateway's downstream calls end with its caller: a workforce backend
// faked in this process never answers, and records each call's deadline and
// the moment its ServerContext is cancelled. The real gateway binary talks to
// it; the test cancels its own call (or leaves the deadline unset) and looks
// at what the backend saw.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/gateway/tests/env.h"

namespace peel::gateway {
namespace {

namespace wf = ::peel::workforce::v1;
using ::testing::HasSubstr;
using Clock = std::chrono::system_clock;

// A workforce service whose data calls hang until the caller cancels them
// or their deadline passes. Its data version answers at once (the gateway
// asks it before the data calls) unless `hang_versions` is set.
class HangingWorkforce final : public wf::WorkforceService::CallbackService {
 public:
  struct Call {
    std::string method;
    Clock::time_point started;
    Clock::time_point deadline;
    Clock::time_point cancelled{};  // epoch while not cancelled
  };

  grpc::ServerUnaryReactor* GetWorkforceProfile(
      grpc::CallbackServerContext* ctx, const wf::GetWorkforceProfileRequest*,
      wf::WorkforceProfile*) override {
    return Hang(ctx, "GetWorkforceProfile");
  }
  grpc::ServerUnaryReactor* GetNationalWorkforce(
      grpc::CallbackServerContext* ctx, const wf::GetNationalWorkforceRequest*,
      wf::NationalWorkforce*) override {
    return Hang(ctx, "GetNationalWorkforce");
  }
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const peel::common::v1::DataVersionRequest*,
      peel::common::v1::DataVersion* resp) override {
    if (hang_versions) return Hang(ctx, "GetDataVersion");
    resp->set_service("peel.workforce.v1.WorkforceService");
    resp->set_version(1);
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::atomic<bool> hang_versions{false};

  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // Waits until `n` calls arrived and all of them were cancelled.
  bool WaitAllCancelled(size_t n, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        size_t cancelled = 0;
        for (const Call& c : calls_)
          cancelled += c.cancelled != Clock::time_point{};
        if (calls_.size() >= n && cancelled == calls_.size()) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

 private:
  class Reactor final : public grpc::ServerUnaryReactor {
   public:
    Reactor(HangingWorkforce* owner, size_t index)
        : owner_(owner), index_(index) {}
    void OnCancel() override {
      {
        std::lock_guard<std::mutex> lock(owner_->mu_);
        owner_->calls_[index_].cancelled = Clock::now();
      }
      Finish(grpc::Status::CANCELLED);
    }
    void OnDone() override { delete this; }

   private:
    HangingWorkforce* owner_;
    size_t index_;
  };

  grpc::ServerUnaryReactor* Hang(grpc::CallbackServerContext* ctx,
                                 const char* method) {
    size_t index;
    {
      std::lock_guard<std::mutex> lock(mu_);
      index = calls_.size();
      calls_.push_back({method, Clock::now(), ctx->deadline()});
    }
    return new Reactor(this, index);
  }

  std::mutex mu_;
  std::vector<Call> calls_;
};

class GatewayCancellation : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &backend_port_);
    builder.RegisterService(&backend_);
    backend_server_ = builder.BuildAndStart();
    ASSERT_NE(backend_port_, 0);
  }
  void TearDown() override {
    if (HasFailure() && gateway_) std::cerr << gateway_->Log();
    gateway_.reset();
    backend_server_->Shutdown(Clock::now());
  }

  void StartGateway(int backend_timeout_ms) {
    std::filesystem::create_directories(dir_.Sub("gw"));
    auto gw = peel::testing::ServerProcess::Start(
        {testing::Env("PEEL_GATEWAY_BIN"),
         "peel.gateway.v1.AssessmentGateway",
         dir_.Sub("gw-data"),
         dir_.Sub("gw"),
         {absl::StrCat("--workforce_addr=127.0.0.1:", backend_port_),
          "--policy=" + testing::Env("PEEL_GATEWAY_POLICY"),
          absl::StrCat("--backend_timeout_ms=", backend_timeout_ms)}});
    ASSERT_TRUE(gw.ok()) << gw.status();
    gateway_ = std::move(*gw);
    stub_ = v1::AssessmentGateway::NewStub(grpc::CreateChannel(
        gateway_->address(), grpc::InsecureChannelCredentials()));
  }

  static v1::GetForceAssessmentRequest Met() {
    v1::GetForceAssessmentRequest req;
    req.set_force("metropolitan");
    req.mutable_period()->set_start_date("2021-04-01");
    req.mutable_period()->set_end_date("2022-03-31");
    return req;
  }

  peel::testing::TempDir dir_{"gateway-cancel"};
  HangingWorkforce backend_;
  int backend_port_ = 0;
  std::unique_ptr<grpc::Server> backend_server_;
  std::unique_ptr<peel::testing::ServerProcess> gateway_;
  std::unique_ptr<v1::AssessmentGateway::Stub> stub_;
};

// GetForceAssessment makes one data version check, then one profile call
// and one national call per nationally comparable workforce metric: the
// data calls must reach the backend before the test cancels.
constexpr size_t kMinCalls = 2;

TEST_F(GatewayCancellation, CallerCancelCancelsEveryBackendCall) {
  // The gateway's own backend deadline is far away: only the caller's
  // cancellation can end the backend calls within the test's bounds.
  StartGateway(/*backend_timeout_ms=*/60000);
  grpc::ClientContext ctx;
  ctx.set_deadline(Clock::now() + std::chrono::seconds(60));
  v1::ForceAssessment out;
  grpc::Status status;
  std::thread caller(
      [&] { status = stub_->GetForceAssessment(&ctx, Met(), &out); });
  // Wait for the fan-out to arrive, then stop the caller.
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (backend_.calls().size() < kMinCalls && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(backend_.calls().size(), kMinCalls);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const size_t in_flight = backend_.calls().size();
  const Clock::time_point cancelled_at = Clock::now();
  ctx.TryCancel();
  caller.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);

  ASSERT_TRUE(backend_.WaitAllCancelled(in_flight, std::chrono::seconds(5)));
  for (const auto& c : backend_.calls()) {
    SCOPED_TRACE(c.method);
    // Cancelled because the caller went away, promptly, and long before the
    // deadline the backend was given.
    EXPECT_GE(c.cancelled, cancelled_at);
    EXPECT_LT(c.cancelled - cancelled_at, std::chrono::seconds(2));
    EXPECT_GT(c.deadline - c.cancelled, std::chrono::seconds(30));
  }
  std::set<std::string> methods;
  for (const auto& c : backend_.calls()) methods.insert(c.method);
  EXPECT_TRUE(methods.count("GetWorkforceProfile")) << in_flight;
}

TEST_F(GatewayCancellation, ShortCallerDeadlineBoundsEveryBackendCall) {
  StartGateway(/*backend_timeout_ms=*/60000);
  grpc::ClientContext ctx;
  const Clock::time_point caller_deadline =
      Clock::now() + std::chrono::milliseconds(500);
  ctx.set_deadline(caller_deadline);
  v1::ForceAssessment out;
  const grpc::Status status = stub_->GetForceAssessment(&ctx, Met(), &out);
  // The gateway answers in time, with workforce unavailable.
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(Clock::now(), caller_deadline);
  for (const auto& area : out.areas()) {
    if (area.area() == v1::BUILDING_THE_WORKFORCE) {
      EXPECT_FALSE(area.available());
      ASSERT_GE(area.unavailable_size(), 1);
      EXPECT_THAT(area.unavailable(0).reason(), HasSubstr("DEADLINE_EXCEEDED"));
    }
  }
  const auto calls = backend_.calls();
  ASSERT_GE(calls.size(), kMinCalls);
  for (const auto& c : calls) {
    SCOPED_TRACE(c.method);
    // The backend saw a deadline before the caller's: the caller's own,
    // less the gateway's reserve for assembling the answer.
    EXPECT_LE(c.deadline, caller_deadline);
    EXPECT_GT(c.deadline, caller_deadline - std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(backend_.WaitAllCancelled(calls.size(), std::chrono::seconds(2)));
}

TEST_F(GatewayCancellation, HangingVersionCheckBoundedByTheCallersDeadline) {
  backend_.hang_versions = true;
  StartGateway(/*backend_timeout_ms=*/60000);
  grpc::ClientContext ctx;
  const Clock::time_point caller_deadline =
      Clock::now() + std::chrono::milliseconds(500);
  ctx.set_deadline(caller_deadline);
  v1::ForceAssessment out;
  const grpc::Status status = stub_->GetForceAssessment(&ctx, Met(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(Clock::now(), caller_deadline);
  bool seen = false;
  for (const auto& area : out.areas()) {
    if (area.area() == v1::BUILDING_THE_WORKFORCE) {
      seen = true;
      EXPECT_FALSE(area.available());
      ASSERT_GE(area.unavailable_size(), 1);
      EXPECT_THAT(area.unavailable(0).reason(), HasSubstr("DEADLINE_EXCEEDED"));
    }
  }
  EXPECT_TRUE(seen);
  const auto calls = backend_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "GetDataVersion");
  EXPECT_LE(calls[0].deadline, caller_deadline);
  ASSERT_TRUE(backend_.WaitAllCancelled(1, std::chrono::seconds(2)));
}

TEST_F(GatewayCancellation, DefaultDeadlineWhenTheCallerSetsNone) {
  StartGateway(/*backend_timeout_ms=*/400);
  grpc::ClientContext ctx;  // no deadline
  v1::ForceAssessment out;
  const Clock::time_point start = Clock::now();
  const grpc::Status status = stub_->GetForceAssessment(&ctx, Met(), &out);
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(elapsed, std::chrono::milliseconds(350));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
  const auto calls = backend_.calls();
  ASSERT_GE(calls.size(), kMinCalls);
  for (const auto& c : calls) {
    SCOPED_TRACE(c.method);
    // The deadline the backend saw is the gateway's default from when the
    // assessment started (the clocks are the same machine's; the wire
    // format's grpc-timeout rounds it up slightly).
    const auto budget = c.deadline - start;
    EXPECT_LE(budget, std::chrono::milliseconds(420) + (c.started - start));
    EXPECT_GT(budget, std::chrono::milliseconds(300));
  }
  ASSERT_TRUE(backend_.WaitAllCancelled(calls.size(), std::chrono::seconds(2)));
}

}  // namespace
}  // namespace peel::gateway
