#include "common/auth/message_fields.h"

#include "common/auth/audit_log.h"
#include "gtest/gtest.h"
#include "peel/crimerecording/v1/crime_recording.pb.h"
#include "peel/workforce/v1/workforce.pb.h"

namespace peel::auth {
namespace {

namespace cr = ::peel::crimerecording::v1;
namespace wf = ::peel::workforce::v1;

TEST(MessageFields, ForcesAtAnyDepth) {
  wf::PersonRecordBatch batch;
  batch.set_sequence(7);
  batch.add_records()->set_force("kent");
  batch.add_records()->set_force("essex");
  batch.add_records()->set_force("kent");
  batch.add_records();  // no force: ignored
  EXPECT_EQ(CollectForces(batch, {}),
            (std::set<std::string>{"essex", "kent"}));
  EXPECT_EQ(SequenceOf(batch), 7u);
}

TEST(MessageFields, IdsResolvedToTheirForce) {
  cr::AuditedIncidentBatch batch;
  batch.set_audit_id("a1");
  batch.add_incidents()->set_incident_id("i1");
  batch.add_incidents()->set_incident_id("i2");
  ForceResolvers resolvers;
  resolvers["audit_id"] = [](const std::string& id) {
    return id == "a1" ? std::string("metropolitan") : std::string();
  };
  EXPECT_EQ(CollectForces(batch, resolvers),
            (std::set<std::string>{"metropolitan"}));
  batch.set_audit_id("unknown");
  EXPECT_TRUE(CollectForces(batch, resolvers).empty());
  EXPECT_EQ(CollectIds(batch),
            (std::vector<std::string>{"unknown", "i1", "i2"}));
}

TEST(MessageFields, IdsNeverIncludeContents) {
  wf::PersonRecordBatch batch;
  auto* r = batch.add_records();
  r->set_force("kent");
  r->set_person_id("00ff00ff00ff00ff");
  r->set_grade("free text grade");
  r->set_date_joined("2020-01-01");
  EXPECT_EQ(CollectIds(batch), (std::vector<std::string>{"00ff00ff00ff00ff"}));
}

TEST(MessageFields, NeutraliseEmptiesEverything) {
  cr::CreateAuditRequest req;
  req.mutable_audit()->set_force("kent");
  req.mutable_audit()->set_audit_id("a1");
  Neutralise(&req);
  EXPECT_FALSE(req.has_audit());
  cr::IncidentLogBatch batch;
  batch.set_force("kent");
  batch.set_sequence(3);
  batch.add_entries()->set_incident_id("x");
  Neutralise(&batch);
  EXPECT_EQ(batch.entries_size(), 0);
  EXPECT_EQ(batch.sequence(), 0u);
  EXPECT_NE(batch.force(), "kent");
  EXPECT_FALSE(batch.force().empty());
}

TEST(AuditLog, OneJsonLinePerEntryEscaped) {
  AuditEntry e;
  e.caller = "O=PEEL, CN=\"x\"";
  e.role = "force-analyst:kent";
  e.method = "/s/M";
  e.forces = {"kent"};
  e.sequence = 4;
  e.ids = {"a", "b\n"};
  e.code = "OK";
  const std::string line = AuditLog::Format(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const std::string rest = line.substr(line.find("\",\"caller\""));
  EXPECT_EQ(rest,
            "\",\"caller\":\"O=PEEL, CN=\\\"x\\\"\",\"role\":\"force-analyst:"
            "kent\",\"method\":\"/s/M\",\"forces\":[\"kent\"],\"sequence\":4,"
            "\"ids\":[\"a\",\"b\\n\"],\"code\":\"OK\"}");
  EXPECT_EQ(line.rfind("{\"time\":\"20", 0), 0u) << line;
}

}  // namespace
}  // namespace peel::auth
