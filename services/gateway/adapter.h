#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"
#include "peel/gateway/v1/gateway.pb.h"

// One adapter per backend: how the gateway asks that backend for a force's
// figures and for one value per force of a metric. Adding a backend is one
// adapter file plus a line in adapters.cc.
namespace peel::gateway {

// Makes the ClientContext of every downstream call of one incoming call:
// derived from the server context (deadline and cancellation propagate) and
// bounded by `deadline`, which leaves the gateway time to answer.
class CallScope {
 public:
  CallScope(const grpc::CallbackServerContext* server_context,
            std::chrono::system_clock::time_point deadline)
      : server_context_(server_context), deadline_(deadline) {}

  std::unique_ptr<grpc::ClientContext> NewContext() const {
    std::unique_ptr<grpc::ClientContext> ctx =
        server_context_ != nullptr
            ? grpc::ClientContext::FromCallbackServerContext(*server_context_)
            : std::make_unique<grpc::ClientContext>();
    // The core takes the earlier of this and the propagated deadline.
    ctx->set_deadline(deadline_);
    return ctx;
  }
  std::chrono::system_clock::time_point deadline() const { return deadline_; }

 private:
  const grpc::CallbackServerContext* server_context_;
  std::chrono::system_clock::time_point deadline_;
};

// A backend's contribution to one force's assessment. Figures carry the
// metric id and the estimate; the assembly adds names and comparisons.
struct ForceEvidence {
  std::vector<v1::KeyFigure> figures;
  std::string note;  // e.g. "no audit of the force in the period"
};

// One value per force from one shard.
struct NationalValues {
  std::vector<v1::ForceValue> values;
};

class BackendAdapter {
 public:
  virtual ~BackendAdapter() = default;
  virtual v1::Backend backend() const = 0;

  // Asks `channel` for `force`'s figures in `period` (unset: latest); calls
  // `done` exactly once, on a gRPC thread.
  virtual void FetchForce(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& force, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<ForceEvidence>)> done) = 0;

  // One value per force of `metric` (a nationally comparable metric of this
  // backend) from one shard.
  virtual void FetchNational(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      const std::string& metric, const peel::common::v1::Period& period,
      std::function<void(absl::StatusOr<NationalValues>)> done) = 0;

  virtual void FetchDataVersion(
      const CallScope& scope, const std::shared_ptr<grpc::Channel>& channel,
      std::function<void(absl::StatusOr<peel::common::v1::DataVersion>)>
          done) = 0;
};

// The adapters compiled into this build, one per backend that has one.
std::vector<std::unique_ptr<BackendAdapter>> MakeAdapters();

// grpc::Status → absl::Status, keeping the code and message.
inline absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

// One async unary call on `stub`: the context from `scope`, the request and
// response kept alive until the reply, `done` called once with the answer.
template <typename Stub, typename Request, typename Response>
using AsyncMethod = void (Stub::async_interface::*)(
    grpc::ClientContext*, const Request*, Response*,
    std::function<void(grpc::Status)>);

template <typename Stub, typename Request, typename Response>
void CallUnary(const CallScope& scope, std::shared_ptr<Stub> stub,
               AsyncMethod<Stub, Request, Response> method, Request request,
               std::function<void(absl::StatusOr<Response>)> done) {
  struct Call {
    std::shared_ptr<Stub> stub;
    std::unique_ptr<grpc::ClientContext> ctx;
    Request request;
    Response response;
    std::function<void(absl::StatusOr<Response>)> done;
  };
  auto* c = new Call{std::move(stub), scope.NewContext(), std::move(request),
                     Response(), std::move(done)};
  (c->stub->async()->*method)(c->ctx.get(), &c->request, &c->response,
                              [c](grpc::Status s) {
                                if (s.ok()) {
                                  c->done(std::move(c->response));
                                } else {
                                  c->done(FromGrpc(s));
                                }
                                delete c;
                              });
}

// A period that covers every audit/date a backend holds: used when the
// caller leaves the period unset and the backend requires one.
peel::common::v1::Period AllTime();
// Whether `date` (ISO) lies in `period`; an unset period contains all.
bool InPeriod(const std::string& date, const peel::common::v1::Period& period);
// The period's end date, or today when the period is unset.
std::string EndOrToday(const peel::common::v1::Period& period);
// Whole calendar months covering the period (unset: the ten years to the
// end of this month), and the 12 whole months ending with the period's last
// month.
peel::common::v1::Period WholeMonths(const peel::common::v1::Period& period);
peel::common::v1::Period TwelveMonthsTo(const peel::common::v1::Period& period);

}  // namespace peel::gateway
