#include "services/gateway/backend_health.h"

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "services/gateway/catalogue.h"

namespace peel::gateway {

BackendHealthReporter::BackendHealthReporter(
    const Wiring* wiring, grpc::HealthCheckServiceInterface* health,
    std::chrono::milliseconds interval)
    : wiring_(wiring), health_(health), interval_(interval) {
  for (const BackendInfo& b : Backends()) {
    health_->SetServingStatus(std::string(b.service), false);
  }
  thread_ = std::thread([this] {
    do {
      CheckOnce();
    } while (
        !stop_.WaitForNotificationWithTimeout(absl::FromChrono(interval_)));
  });
}

BackendHealthReporter::~BackendHealthReporter() {
  stop_.Notify();
  thread_.join();
}

void BackendHealthReporter::CheckOnce() {
  for (const BackendInfo& b : Backends()) {
    const BackendPool* pool = wiring_->pool(b.backend);
    bool serving = pool != nullptr && wiring_->adapter(b.backend) != nullptr;
    if (pool != nullptr) {
      for (const Shard& shard : pool->shards()) {
        auto stub = grpc::health::v1::Health::NewStub(shard.channel);
        grpc::health::v1::HealthCheckRequest req;
        req.set_service(std::string(b.service));
        grpc::health::v1::HealthCheckResponse resp;
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + interval_);
        grpc::Status s = stub->Check(&ctx, req, &resp);
        if (!s.ok() ||
            resp.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
          serving = false;
        }
      }
    }
    health_->SetServingStatus(std::string(b.service), serving);
  }
}

}  // namespace peel::gateway
