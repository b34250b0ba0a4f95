#pragma once

#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "services/crime-recording/store.h"

namespace peel::crimerecording {

// RPC handlers: translate requests to store and statistics calls, and
// statuses to gRPC at the edge.
class CrimeRecordingServiceImpl final
    : public v1::CrimeRecordingService::CallbackService {
 public:
  explicit CrimeRecordingServiceImpl(CrimeRecordingStore* store)
      : store_(store) {}

  grpc::ServerUnaryReactor* CreateAudit(grpc::CallbackServerContext* ctx,
                                        const v1::CreateAuditRequest* req,
                                        v1::Audit* resp) override;
  grpc::ServerUnaryReactor* GetAudit(grpc::CallbackServerContext* ctx,
                                     const v1::GetAuditRequest* req,
                                     v1::Audit* resp) override;
  grpc::ServerUnaryReactor* ListAudits(grpc::CallbackServerContext* ctx,
                                       const v1::ListAuditsRequest* req,
                                       v1::ListAuditsResponse* resp) override;
  grpc::ServerBidiReactor<v1::AuditedIncidentBatch, peel::common::v1::BatchAck>*
  IngestAuditedIncidents(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* GetRecordingEstimate(
      grpc::CallbackServerContext* ctx,
      const v1::GetRecordingEstimateRequest* req,
      v1::RecordingEstimate* resp) override;
  grpc::ServerBidiReactor<v1::CancellationReviewBatch,
                          peel::common::v1::BatchAck>*
  IngestCancellationReviews(grpc::CallbackServerContext* ctx) override;
  grpc::ServerUnaryReactor* GetCancellationCompliance(
      grpc::CallbackServerContext* ctx,
      const v1::GetCancellationComplianceRequest* req,
      v1::CancellationCompliance* resp) override;
  grpc::ServerBidiReactor<v1::IncidentLogBatch, peel::common::v1::BatchAck>*
  IngestIncidentLog(grpc::CallbackServerContext* ctx) override;
  grpc::ServerWriteReactor<v1::SampledIncident>* DrawAuditSample(
      grpc::CallbackServerContext* ctx,
      const v1::DrawAuditSampleRequest* req) override;
  grpc::ServerUnaryReactor* GetNationalRecordingRates(
      grpc::CallbackServerContext* ctx,
      const v1::GetNationalRecordingRatesRequest* req,
      v1::NationalRecordingRates* resp) override;
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const peel::common::v1::DataVersionRequest* req,
      peel::common::v1::DataVersion* resp) override;

 private:
  CrimeRecordingStore* store_;
};

}  // namespace peel::crimerecording
