#include "tools/peelctl/import/record_kinds.h"

#include "google/protobuf/descriptor.h"

namespace peel::peelctl {

const std::vector<RecordKind>& RecordKinds() {
  static const auto* kKinds = new std::vector<RecordKind>{
      {"audits", "crime-recording",
       "peel.crimerecording.v1.CrimeRecordingService.CreateAudit",
       "crime data integrity audits (JSON)"},
      {"audited-incidents", "crime-recording",
       "peel.crimerecording.v1.CrimeRecordingService.IngestAuditedIncidents",
       "audited incidents and their crimes (--audit)"},
      {"cancellation-reviews", "crime-recording",
       "peel.crimerecording.v1.CrimeRecordingService."
       "IngestCancellationReviews",
       "reviews of cancelled crime records (--audit)"},
      {"incident-log", "crime-recording",
       "peel.crimerecording.v1.CrimeRecordingService.IngestIncidentLog",
       "a force's incident log (--force)"},
      {"assessments", "victim-service",
       "peel.victimservice.v1.VictimService.CreateAssessment",
       "victim service assessments"},
      {"case-reviews", "victim-service",
       "peel.victimservice.v1.VictimService.IngestCaseReviews",
       "victim service case reviews (--assessment)"},
      {"call-records", "victim-service",
       "peel.victimservice.v1.VictimService.IngestCallRecords",
       "999 and 101 call records"},
      {"monthly-999", "victim-service",
       "peel.victimservice.v1.VictimService.IngestMonthlyCallAggregates",
       "police.uk-style monthly 999 tables"},
      {"people", "workforce",
       "peel.workforce.v1.WorkforceService.IngestPersonRecords",
       "person records (pseudonymous ids)"},
      {"wellbeing-events", "workforce",
       "peel.workforce.v1.WorkforceService.IngestWellbeingEvents",
       "occupational health and screening events"},
      {"uplift-targets", "workforce",
       "peel.workforce.v1.WorkforceService.PutUpliftTarget",
       "police uplift targets"},
      {"population", "workforce",
       "peel.workforce.v1.WorkforceService.PutPopulationReference",
       "force-area population ethnic-minority shares"},
      {"groups", "soc-disruptions",
       "peel.soc.v1.SocDisruptionService.RegisterGroup",
       "organised crime groups"},
      {"disruptions", "soc-disruptions",
       "peel.soc.v1.SocDisruptionService.IngestDisruptions",
       "disruptions of organised crime"},
      {"judgments", "gateway",
       "peel.gateway.v1.AssessmentGateway.RecordJudgment",
       "inspectors' recorded judgments"},
      {"findings", "gateway", "peel.gateway.v1.AssessmentGateway.RecordFinding",
       "causes of concern, areas for improvement, practice"},
      {"monitoring", "gateway",
       "peel.gateway.v1.AssessmentGateway.RecordMonitoringStatus",
       "monitoring status (SCAN/ENGAGE)"},
  };
  return *kKinds;
}

const RecordKind* FindRecordKind(const std::string& name) {
  for (const auto& k : RecordKinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const google::protobuf::MethodDescriptor* MethodOf(const RecordKind& kind) {
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      kind.method);
}

}  // namespace peel::peelctl
