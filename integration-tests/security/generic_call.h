#pragma once

#include <memory>
#include <string>

#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

// Calls any method of any service with one request message, whatever its
// streaming kind (at the wire every call is a stream): write the message,
// half-close, read every answer, finish. For tables of calls in tests.
namespace peel::security_testing {

struct GenericResult {
  grpc::Status status;
  int responses = 0;  // answers with any content (an empty one has none)
};

inline GenericResult CallGeneric(const std::shared_ptr<grpc::Channel>& channel,
                                 const std::string& method,
                                 const google::protobuf::Message& request,
                                 const std::string& bearer_token = "") {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!bearer_token.empty()) {
    ctx.AddMetadata("authorization", "Bearer " + bearer_token);
  }
  GenericResult result;
  auto call = stub.PrepareCall(&ctx, method, &cq);
  void* tag = nullptr;
  bool ok = false;
  auto wait = [&] {
    cq.Next(&tag, &ok);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (wait()) {
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, reinterpret_cast<void*>(2));
    if (wait()) {
      call->WritesDone(reinterpret_cast<void*>(3));
      wait();
    }
    while (true) {
      grpc::ByteBuffer answer;
      call->Read(&answer, reinterpret_cast<void*>(4));
      if (!wait()) break;
      if (answer.Length() > 0) ++result.responses;
    }
  }
  call->Finish(&result.status, reinterpret_cast<void*>(5));
  wait();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return result;
}

}  // namespace peel::security_testing
