#pragma once

#include <chrono>
#include <thread>

#include "absl/synchronization/notification.h"
#include "services/gateway/wiring.h"

namespace grpc {
class HealthCheckServiceInterface;
}

namespace peel::gateway {

// Reports each backend in the gateway's own health service: a background
// thread asks every shard's grpc.health.v1.Health/Check over the gateway's
// long-lived channel and sets the backend's full service name (e.g.
// "peel.crimerecording.v1.CrimeRecordingService") SERVING when all its
// shards are, NOT_SERVING otherwise. The gateway's own name stays SERVING:
// it answers with partial assessments when a backend is down.
class BackendHealthReporter {
 public:
  BackendHealthReporter(const Wiring* wiring,
                        grpc::HealthCheckServiceInterface* health,
                        std::chrono::milliseconds interval);
  ~BackendHealthReporter();  // stops and joins the thread

 private:
  void CheckOnce();

  const Wiring* wiring_;
  grpc::HealthCheckServiceInterface* health_;
  std::chrono::milliseconds interval_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace peel::gateway
