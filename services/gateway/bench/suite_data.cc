#include "services/gateway/bench/suite_data.h"

#include <random>

#include "common/testing/batch_client.h"
#include "peel/crimerecording/v1/crime_recording.grpc.pb.h"
#include "peel/soc/v1/soc_disruptions.grpc.pb.h"
#include "peel/victimservice/v1/victim_service.grpc.pb.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"
#include "services/crime-recording/tests/met_fixture.h"
#include "services/soc-disruptions/tests/met_fixture.h"
#include "services/victim-service/tests/met_fixture.h"
#include "services/workforce/tests/met_fixture.h"
#include "tools/bench/harness.h"

namespace peel::gateway::bench {
namespace {

namespace cr = ::peel::crimerecording::v1;
namespace vs = ::peel::victimservice::v1;
namespace soc = ::peel::soc::v1;
namespace wf = ::peel::workforce::v1;
using peel::bench::Fail;

template <typename T>
std::vector<T> Subset(std::vector<T> all, double keep, std::mt19937_64* rng) {
  std::bernoulli_distribution take(keep);
  std::vector<T> out;
  out.reserve(all.size());
  for (auto& r : all) {
    if (take(*rng)) out.push_back(std::move(r));
  }
  return out;
}

void Check(const grpc::Status& s, const std::string& what) {
  if (!s.ok()) Fail(what + ": " + s.error_message());
}
template <typename T>
int64_t Accepted(const absl::StatusOr<std::vector<T>>& acks,
                 const std::string& what) {
  if (!acks.ok()) Fail(what + ": " + acks.status().ToString());
  int64_t n = 0;
  for (const auto& a : *acks) n += a.accepted();
  return n;
}
std::chrono::system_clock::time_point Soon() {
  return std::chrono::system_clock::now() + std::chrono::seconds(60);
}

}  // namespace

LoadCounts LoadForces(const Backends& b, const std::vector<std::string>& forces,
                      uint64_t seed) {
  auto crs = cr::CrimeRecordingService::NewStub(b.crime_recording);
  auto vss = vs::VictimService::NewStub(b.victim_service);
  auto wfs = wf::WorkforceService::NewStub(b.workforce);
  auto socs = soc::SocDisruptionService::NewStub(b.soc_disruptions);
  const auto incidents = crimerecording::testing::MetIncidents();
  const auto reviews = victimservice::testing::MetCaseReviews();
  const auto calls = victimservice::testing::MetCallRecords();
  const auto groups = peel::soc::testing::MetGroups();
  const auto disruptions = peel::soc::testing::MetDisruptions();
  LoadCounts n;
  for (size_t k = 0; k < forces.size(); ++k) {
    const std::string& f = forces[k];
    std::mt19937_64 rng(seed * 1000003 + k);
    // The Met keeps all of its records: its figures are the report's.
    const double keep =
        k == 0 ? 1.0 : std::uniform_real_distribution<double>(0.3, 1.0)(rng);

    {  // crime-recording: one audit per force
      cr::CreateAuditRequest req;
      *req.mutable_audit() = crimerecording::testing::MetAudit();
      const std::string audit = f + "-2021h2";
      req.mutable_audit()->set_audit_id(audit);
      req.mutable_audit()->set_force(f);
      cr::Audit resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Soon());
      Check(crs->CreateAudit(&ctx, req, &resp), "CreateAudit " + f);
      auto batches =
          crimerecording::testing::Batches(Subset(incidents, keep, &rng), 500);
      for (auto& bt : batches) bt.set_audit_id(audit);
      n.incidents +=
          Accepted(peel::testing::SendBatches<cr::AuditedIncidentBatch>(
                       [&](grpc::ClientContext* c) {
                         return crs->IngestAuditedIncidents(c);
                       },
                       batches),
                   "incidents " + f);
    }
    {  // victim-service: an assessment with its reviews, and call records
      vs::CreateAssessmentRequest req;
      *req.mutable_assessment() = victimservice::testing::MetAssessment();
      const std::string id = f + "-vsa";
      req.mutable_assessment()->set_assessment_id(id);
      req.mutable_assessment()->set_force(f);
      vs::Assessment resp;
      grpc::ClientContext ctx;
      ctx.set_deadline(Soon());
      Check(vss->CreateAssessment(&ctx, req, &resp), "CreateAssessment " + f);
      auto rb = victimservice::testing::ReviewBatches(
          Subset(reviews, keep, &rng), 100);
      for (auto& bt : rb) bt.set_assessment_id(id);
      n.reviews += Accepted(
          peel::testing::SendBatches<vs::CaseReviewBatch>(
              [&](grpc::ClientContext* c) { return vss->IngestCaseReviews(c); },
              rb),
          "reviews " + f);
      auto mine = Subset(calls, keep, &rng);
      for (auto& c : mine) c.set_force(f);
      n.calls += Accepted(
          peel::testing::SendBatches<vs::CallRecordBatch>(
              [&](grpc::ClientContext* c) { return vss->IngestCallRecords(c); },
              victimservice::testing::CallBatches(mine, 1000)),
          "calls " + f);
    }
    {  // workforce: the Met's people; a small seeded force elsewhere
      namespace fx = ::peel::workforce::testing;
      std::vector<wf::PersonRecord> people;
      if (k == 0) {
        people = fx::MetPeople();
      } else {
        const int count = std::uniform_int_distribution<int>(300, 3000)(rng);
        const int minority = static_cast<int>(
            count * std::uniform_real_distribution<double>(0.03, 0.3)(rng));
        people = fx::SmallForce(f, count, minority);
      }
      n.people += Accepted(
          peel::testing::SendBatches<wf::PersonRecordBatch>(
              [&](grpc::ClientContext* c) {
                return wfs->IngestPersonRecords(c);
              },
              fx::PersonBatches(people, 1000), std::chrono::seconds(300)),
          "people " + f);
      if (k == 0) {
        wf::PutUpliftTargetRequest req;
        *req.mutable_target() = fx::MetUpliftTarget();
        wf::UpliftTarget resp;
        grpc::ClientContext ctx;
        ctx.set_deadline(Soon());
        Check(wfs->PutUpliftTarget(&ctx, req, &resp), "PutUpliftTarget");
      }
    }
    {  // soc-disruptions: the Met's groups and disruptions, re-labelled
      for (auto g : groups) {
        g.set_group_id(f + "-" + g.group_id());
        g.set_force(f);
        soc::RegisterGroupRequest req;
        *req.mutable_group() = std::move(g);
        soc::OrganisedCrimeGroup resp;
        grpc::ClientContext ctx;
        ctx.set_deadline(Soon());
        Check(socs->RegisterGroup(&ctx, req, &resp), "RegisterGroup " + f);
      }
      auto mine = Subset(disruptions, keep, &rng);
      for (auto& d : mine) {
        d.set_disruption_id(f + "-" + d.disruption_id());
        d.set_force(f);
        if (!d.group_id().empty()) d.set_group_id(f + "-" + d.group_id());
      }
      n.disruptions +=
          Accepted(peel::testing::SendBatches<soc::DisruptionBatch>(
                       [&](grpc::ClientContext* c) {
                         return socs->IngestDisruptions(c);
                       },
                       peel::soc::testing::Batches(mine, 1000),
                       std::chrono::seconds(300)),
                   "disruptions " + f);
    }
  }
  return n;
}

}  // namespace peel::gateway::bench
