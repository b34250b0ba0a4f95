#include "common/auth/policy.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace peel::auth {
namespace {

using A = Access;

const std::map<std::string, MethodRule, std::less<>>& Table() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, MethodRule, std::less<>>();
    auto add = [t](absl::string_view service,
                   std::initializer_list<std::pair<const char*, A>> methods) {
      for (const auto& [name, access] : methods) {
        (*t)[absl::StrCat("/", service, "/", name)] = MethodRule{access};
      }
    };
    add("peel.crimerecording.v1.CrimeRecordingService",
        {{"CreateAudit", A::kStoreWrite},
         {"GetAudit", A::kStoreRead},
         {"ListAudits", A::kStoreRead},
         {"IngestAuditedIncidents", A::kStoreWrite},
         {"GetRecordingEstimate", A::kStoreRead},
         {"IngestCancellationReviews", A::kStoreWrite},
         {"GetCancellationCompliance", A::kStoreRead},
         {"IngestIncidentLog", A::kStoreWrite},
         {"DrawAuditSample", A::kStoreRead},
         {"GetNationalRecordingRates", A::kStoreNational},
         {"GetDataVersion", A::kStoreNational}});
    add("peel.victimservice.v1.VictimService",
        {{"CreateAssessment", A::kStoreWrite},
         {"GetAssessment", A::kStoreRead},
         {"ListAssessments", A::kStoreRead},
         {"IngestCaseReviews", A::kStoreWrite},
         {"GetCheckSummary", A::kStoreRead},
         {"IngestCallRecords", A::kStoreWrite},
         {"IngestMonthlyCallAggregates", A::kStoreWrite},
         {"GetCallHandlingSummary", A::kStoreRead},
         {"GetNationalCallHandling", A::kStoreNational},
         {"GetDataVersion", A::kStoreNational}});
    add("peel.workforce.v1.WorkforceService",
        {{"IngestPersonRecords", A::kStoreWrite},
         {"IngestWellbeingEvents", A::kStoreWrite},
         {"PutUpliftTarget", A::kStoreWrite},
         {"PutPopulationReference", A::kStoreWrite},
         {"GetPerson", A::kStoreRead},
         {"GetWorkforceProfile", A::kStoreRead},
         {"GetNationalWorkforce", A::kStoreNational},
         {"GetDataVersion", A::kStoreNational}});
    add("peel.soc.v1.SocDisruptionService",
        {{"RegisterGroup", A::kStoreWrite},
         {"UpdateGroup", A::kStoreWrite},
         {"GetGroup", A::kStoreRead},
         {"ListGroups", A::kStoreRead},
         {"IngestDisruptions", A::kStoreWrite},
         {"GetDisruptionSummary", A::kStoreRead},
         {"GetOperationSummary", A::kStoreRead},
         {"StreamGroupHistory", A::kStoreRead},
         {"GetNationalDisruptions", A::kStoreNational},
         {"GetDataVersion", A::kStoreNational}});
    add("peel.gateway.v1.AssessmentGateway",
        {{"GetForceAssessment", A::kPublishedForce},
         {"CompareForces", A::kPublishedAll},
         {"ListMetrics", A::kPublishedAll},
         {"ListJudgments", A::kPublishedForce},
         {"RecordJudgment", A::kJudgmentWrite},
         {"RecordFinding", A::kJudgmentWrite},
         {"RecordRecommendationStatus", A::kJudgmentWrite},
         {"RecordMonitoringStatus", A::kJudgmentWrite},
         {"GetDataVersion", A::kStoreNational}});
    // Every server: peelctl backup's checkpoint of the store; the data
    // version pushed to the gateway (reads no records, like GetDataVersion).
    add("peel.admin.v1.Admin", {{"CreateCheckpoint", A::kAdmin},
                                {"WatchDataVersion", A::kStoreNational}});
    add("grpc.health.v1.Health", {{"Check", A::kHealth}, {"Watch", A::kHealth}});
    add("grpc.reflection.v1alpha.ServerReflection",
        {{"ServerReflectionInfo", A::kAnyCaller}});
    return t;
  }();
  return *table;
}

}  // namespace

const MethodRule* RuleFor(absl::string_view method) {
  const auto& t = Table();
  auto it = t.find(method);
  return it == t.end() ? nullptr : &it->second;
}

bool RoleAllowed(const Identity& identity, const MethodRule& rule) {
  const Role r = identity.role;
  switch (rule.access) {
    case A::kStoreWrite:
      return r == Role::kForceAnalyst;
    case A::kStoreRead:
      return r == Role::kInspector || r == Role::kGateway ||
             r == Role::kForceAnalyst;
    case A::kStoreNational:
      return r == Role::kInspector || r == Role::kGateway;
    case A::kPublishedForce:
      return r == Role::kReader || r == Role::kInspector ||
             r == Role::kForceAnalyst;
    case A::kPublishedAll:
      return r == Role::kReader || r == Role::kInspector;
    case A::kJudgmentWrite:
      return r == Role::kInspector;
    case A::kHealth:
      return r == Role::kOperator || r == Role::kInspector ||
             r == Role::kGateway;
    case A::kAdmin:
      return r == Role::kOperator || r == Role::kInspector;
    case A::kAnyCaller:
      return true;
  }
  return false;
}

absl::Status CheckForces(const Identity& identity, absl::string_view method,
                         const MethodRule& rule,
                         const std::set<std::string>& forces) {
  if (identity.role != Role::kForceAnalyst || !rule.force_scoped()) {
    return absl::OkStatus();
  }
  if (forces.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        RoleText(identity), " may call ", method,
        " only for its own force; this call names no force"));
  }
  for (const std::string& f : forces) {
    if (f != identity.force) {
      return absl::PermissionDeniedError(
          absl::StrCat(RoleText(identity), " may not call ", method,
                       " for force '", f, "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace peel::auth
