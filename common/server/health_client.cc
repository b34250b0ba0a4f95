#include "common/server/health_client.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace peel::server {

absl::Status CheckServing(const std::string& address,
                          const std::string& service_name,
                          absl::Duration timeout,
                          std::shared_ptr<grpc::ChannelCredentials> creds) {
  auto channel = grpc::CreateChannel(
      address, creds ? creds : grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service_name);
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::Status s = stub->Check(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat(address, ": ", s.error_message()));
  }
  if (resp.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(
        absl::StrCat(service_name, " at ", address, " is not SERVING"));
  }
  return absl::OkStatus();
}

absl::Status WaitForServing(const std::string& address,
                            const std::string& service_name,
                            absl::Duration timeout,
                            std::shared_ptr<grpc::ChannelCredentials> creds) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::Status last;
  while (absl::Now() < deadline) {
    last = CheckServing(address, service_name, absl::Milliseconds(500), creds);
    if (last.ok()) return last;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat(service_name, " at ", address, " not SERVING after ",
                   absl::FormatDuration(timeout), ": ", last.message()));
}

}  // namespace peel::server
