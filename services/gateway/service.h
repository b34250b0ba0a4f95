#pragma once

#include <chrono>

#include "peel/gateway/v1/gateway.grpc.pb.h"
#include "services/gateway/arena_allocator.h"
#include "services/gateway/assessment_cache.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/comparisons.h"
#include "services/gateway/join.h"
#include "services/gateway/store.h"
#include "services/gateway/wiring.h"

namespace peel::gateway {

inline constexpr char kServiceName[] = "peel.gateway.v1.AssessmentGateway";

struct GatewayOptions {
  // Downstream deadline when the caller sets none (and the cap when it
  // sets a longer one).
  std::chrono::milliseconds backend_timeout{2000};
  // Share of the caller's remaining time kept back for assembling the
  // answer, so a slow backend times out before the caller does.
  double reserve_fraction = 0.1;
  std::chrono::milliseconds min_reserve{5};
  // Whole assessments kept (AssessmentCache), and as many backend answers
  // per backend (EvidenceCache); 0 turns both off.
  size_t assessment_cache_entries = 4096;
};

struct AssessmentCall;

// RPC handlers. GetForceAssessment and CompareForces fan out with the async
// callback client API; nothing here blocks on a backend.
class AssessmentGatewayImpl final
    : public v1::AssessmentGateway::CallbackService {
 public:
  AssessmentGatewayImpl(JudgmentsStore* store, const Wiring* wiring,
                        v1::GradingPolicy policy, GatewayOptions options)
      : store_(store),
        wiring_(wiring),
        policy_(std::move(policy)),
        options_(options),
        comparisons_(wiring),
        evidence_(options.assessment_cache_entries * Backends().size()),
        assessments_(options.assessment_cache_entries) {
    SetMessageAllocatorFor_GetForceAssessment(&assessment_allocator_);
  }

  grpc::ServerUnaryReactor* GetForceAssessment(
      grpc::CallbackServerContext* ctx,
      const v1::GetForceAssessmentRequest* req,
      v1::ForceAssessment* resp) override;
  grpc::ServerUnaryReactor* CompareForces(grpc::CallbackServerContext* ctx,
                                          const v1::CompareForcesRequest* req,
                                          v1::ForceComparison* resp) override;
  grpc::ServerUnaryReactor* ListMetrics(grpc::CallbackServerContext* ctx,
                                        const v1::ListMetricsRequest* req,
                                        v1::ListMetricsResponse* resp) override;
  grpc::ServerUnaryReactor* RecordJudgment(grpc::CallbackServerContext* ctx,
                                           const v1::RecordJudgmentRequest* req,
                                           v1::RecordResponse* resp) override;
  grpc::ServerUnaryReactor* RecordFinding(grpc::CallbackServerContext* ctx,
                                          const v1::RecordFindingRequest* req,
                                          v1::RecordResponse* resp) override;
  grpc::ServerUnaryReactor* RecordRecommendationStatus(
      grpc::CallbackServerContext* ctx,
      const v1::RecordRecommendationStatusRequest* req,
      v1::RecordResponse* resp) override;
  grpc::ServerUnaryReactor* RecordMonitoringStatus(
      grpc::CallbackServerContext* ctx,
      const v1::RecordMonitoringStatusRequest* req,
      v1::RecordResponse* resp) override;
  grpc::ServerUnaryReactor* ListJudgments(
      grpc::CallbackServerContext* ctx, const v1::ListJudgmentsRequest* req,
      v1::ListJudgmentsResponse* resp) override;
  grpc::ServerUnaryReactor* GetDataVersion(
      grpc::CallbackServerContext* ctx,
      const peel::common::v1::DataVersionRequest* req,
      peel::common::v1::DataVersion* resp) override;

 private:
  CallScope ScopeFor(const grpc::CallbackServerContext* ctx) const;
  // GetForceAssessment's steps (service.cc).
  void FetchEvidence(AssessmentCall* call, size_t index, const Shard* shard,
                     BackendAdapter* adapter, Join* join);
  void Finish(AssessmentCall* call);

  JudgmentsStore* store_;
  const Wiring* wiring_;
  const v1::GradingPolicy policy_;
  const GatewayOptions options_;
  NationalComparisons comparisons_;
  EvidenceCache evidence_;
  AssessmentCache assessments_;
  ArenaAllocator<v1::GetForceAssessmentRequest, v1::ForceAssessment>
      assessment_allocator_;
};

}  // namespace peel::gateway
