#include "tools/bench/noop_server.h"

#include "common/server/batch_stream.h"
#include "grpcpp/grpcpp.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "tools/bench/harness.h"

namespace peel::bench {

using ::peel::common::v1::BatchAck;
using ::peel::common::v1::RecordResult;
using ::peel::victimservice::v1::CallRecordBatch;

namespace {

class Noop : public ::peel::victimservice::v1::VictimService::CallbackService {
  grpc::ServerBidiReactor<CallRecordBatch, BatchAck>* IngestCallRecords(
      grpc::CallbackServerContext*) override {
    return new peel::server::BatchIngestReactor<CallRecordBatch>(
        [](const CallRecordBatch& b) -> absl::StatusOr<BatchAck> {
          BatchAck ack;
          ack.set_sequence(b.sequence());
          ack.set_accepted(b.calls_size());
          ack.mutable_results()->Reserve(b.calls_size());
          for (int i = 0; i < b.calls_size(); ++i) {
            RecordResult* r = ack.add_results();
            r->set_id(b.calls(i).call_id());
            r->set_outcome(RecordResult::ACCEPTED);
            r->set_index(i);
          }
          return ack;
        });
  }
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const ::peel::common::v1::DataVersionRequest*,
      ::peel::common::v1::DataVersion* resp) override {
    resp->set_service("noop");
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

struct NoopServer::Impl {
  Noop service;
  std::unique_ptr<grpc::Server> server;
};

NoopServer::NoopServer() : impl_(std::make_unique<Impl>()) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(&impl_->service);
  builder.SetMaxReceiveMessageSize(64 << 20);
  impl_->server = builder.BuildAndStart();
  if (impl_->server == nullptr || port_ == 0)
    Fail("no-op server did not start");
}

NoopServer::~NoopServer() {
  impl_->server->Shutdown(std::chrono::system_clock::now() +
                          std::chrono::seconds(5));
}

}  // namespace peel::bench
