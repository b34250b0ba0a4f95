// Idempotency under retry: the same batches replayed in any order and
// interleaved from two clients give exactly the figures of one clean pass.
#include <algorithm>
#include <cstdlib>
#include <random>
#include <thread>

#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"

namespace {

namespace v1 = ::peel::crimerecording::v1;
namespace fixture = ::peel::crimerecording::testing;
constexpr char kService[] = "peel.crimerecording.v1.CrimeRecordingService";

class Suite {
 public:
  Suite() {
    const char* bin = std::getenv("PEEL_CRIME_RECORDING_BIN");
    auto s = peel::testing::ServerProcess::Start(
        {bin ? bin : "", kService, dir_.Sub("data"), dir_.path(), {}});
    EXPECT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
    stub_ = v1::CrimeRecordingService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    v1::CreateAuditRequest req;
    *req.mutable_audit() = fixture::MetAudit();
    v1::Audit resp;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->CreateAudit(&ctx, req, &resp).ok());
  }
  void Send(const std::vector<v1::AuditedIncidentBatch>& batches) {
    auto acks = peel::testing::SendBatches<v1::AuditedIncidentBatch>(
        [&](grpc::ClientContext* c) {
          return stub_->IngestAuditedIncidents(c);
        },
        batches);
    EXPECT_TRUE(acks.ok()) << acks.status();
  }
  std::string Figures() {
    v1::GetRecordingEstimateRequest req;
    req.set_audit_id(fixture::MetAudit().audit_id());
    v1::RecordingEstimate resp;
    grpc::ClientContext ctx;
    EXPECT_TRUE(stub_->GetRecordingEstimate(&ctx, req, &resp).ok());
    return resp.SerializeAsString();
  }

 private:
  peel::testing::TempDir dir_{"idempotency"};
  std::unique_ptr<peel::testing::ServerProcess> server_;
  std::unique_ptr<v1::CrimeRecordingService::Stub> stub_;
};

TEST(Idempotency, ReplayedShuffledAndInterleavedBatchesGiveOnePassFigures) {
  auto batches = fixture::Batches(fixture::MetIncidents(), 25);
  Suite clean;
  clean.Send(batches);
  const std::string expected = clean.Figures();

  Suite retried;
  std::mt19937 rng(7);
  auto a = batches, b = batches;
  std::shuffle(a.begin(), a.end(), rng);
  std::shuffle(b.begin(), b.end(), rng);
  // Two clients at once, each sending every batch in its own order, then a
  // third pass of half the batches again.
  std::thread first([&] { retried.Send(a); });
  std::thread second([&] { retried.Send(b); });
  first.join();
  second.join();
  retried.Send(std::vector<v1::AuditedIncidentBatch>(a.begin(),
                                                     a.begin() + a.size() / 2));
  EXPECT_EQ(retried.Figures(), expected);
}

}  // namespace
