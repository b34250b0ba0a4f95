#include "tools/peelctl/import/unary_call.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "grpcpp/generic/generic_stub.h"

namespace peel::peelctl {

grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel,
                       const std::string& rpc,
                       const google::protobuf::Message& request,
                       google::protobuf::Message* response,
                       absl::Duration deadline) {
  grpc::GenericStub stub(channel);
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer req(&slice, 1), resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&ctx, rpc, grpc::StubOptions(), &req, &resp,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  if (!status.ok() || response == nullptr) return status;
  std::vector<grpc::Slice> slices;
  std::string answer;
  if (resp.Dump(&slices).ok()) {
    for (const auto& s : slices) {
      answer.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  if (!response->ParseFromString(answer)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "unparseable answer from " + rpc);
  }
  return status;
}

}  // namespace peel::peelctl
