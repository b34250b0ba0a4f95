#include "services/crime-recording/store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/ingest/batch_plan.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "common/util/status_macros.h"
#include "common/validation/common_fields.h"
#include "services/crime-recording/validate.h"

namespace peel::crimerecording {

using ingest::BatchPlan;
using ingest::Candidate;
using peel::common::v1::BatchAck;
using store::KeyBuilder;
using validation::FieldViolations;

namespace {

std::string AuditKey(absl::string_view id) {
  return KeyBuilder('A').Id(id).Take();
}
std::string ForceAuditKey(absl::string_view force, absl::string_view id) {
  return KeyBuilder('F').Id(force).Id(id).Take();
}
std::string IncidentKey(absl::string_view audit, absl::string_view id) {
  return KeyBuilder('I').Id(audit).Id(id).Take();
}
std::string ReviewKey(absl::string_view audit, absl::string_view id) {
  return KeyBuilder('C').Id(audit).Id(id).Take();
}
std::string LogKey(absl::string_view force, absl::string_view id) {
  return KeyBuilder('L').Id(force).Id(id).Take();
}
std::string LogTimeKey(absl::string_view force, int64_t seconds,
                       absl::string_view id) {
  return KeyBuilder('T').Id(force).I64(seconds).Id(id).Take();
}
std::string TallyKey(absl::string_view audit) {
  return KeyBuilder('S').Id(audit).Take();
}
std::string CancellationTallyKey(absl::string_view audit) {
  return KeyBuilder('X').Id(audit).Take();
}

template <typename Message>
absl::StatusOr<Message> ParseStored(const std::string& bytes,
                                    absl::string_view what) {
  Message m;
  if (!m.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("cannot parse stored ", what));
  }
  return m;
}

v1::storage::StratumTally* TallyFor(v1::storage::AuditTally* tally,
                                    int stratum) {
  for (auto& s : *tally->mutable_strata()) {
    if (s.stratum() == stratum) return &s;
  }
  auto* s = tally->add_strata();
  s->set_stratum(stratum);
  return s;
}

void Count(v1::storage::Tally* t, bool recorded) {
  t->set_crimes(t->crimes() + 1);
  if (recorded) t->set_recorded(t->recorded() + 1);
}

void AddToTally(const v1::AuditedIncident& incident,
                v1::storage::AuditTally* tally) {
  auto* s = TallyFor(tally, incident.stratum());
  s->set_incidents(s->incidents() + 1);
  for (const auto& c : incident.crimes()) {
    Count(s->mutable_all(), c.recorded());
    if (c.recorded() && c.correctly_classified()) {
      s->set_correctly_classified(s->correctly_classified() + 1);
    }
    if (c.recorded() && c.recorded_within_24h()) {
      s->set_within_24h(s->within_24h() + 1);
    }
    if (c.domestic_abuse()) Count(s->mutable_domestic_abuse(), c.recorded());
    if (c.behavioural()) Count(s->mutable_behavioural(), c.recorded());
    if (c.vulnerable_victim()) {
      Count(s->mutable_vulnerable_victim(), c.recorded());
    }
    if (c.rape_or_n100()) Count(s->mutable_rape_or_n100(), c.recorded());
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CrimeRecordingStore>> CrimeRecordingStore::Open(
    store::StoreOptions options) {
  options.column_families = {"audits", "records", "aggregates",
                             "log_by_time"};
  ASSIGN_OR_RETURN(auto s, store::Store::Open(options));
  return std::unique_ptr<CrimeRecordingStore>(
      new CrimeRecordingStore(std::move(s)));
}

absl::StatusOr<v1::Audit> CrimeRecordingStore::CreateAudit(
    const v1::Audit& audit) {
  RETURN_IF_ERROR(ValidateAudit(audit));
  absl::MutexLock lock(&write_mu_);
  const std::string key = AuditKey(audit.audit_id());
  ASSIGN_OR_RETURN(auto existing, store_->Get(kAudits, key));
  const std::string bytes = ingest::CanonicalBytes(audit);
  if (existing.has_value()) {
    if (*existing == bytes) return audit;
    return absl::AlreadyExistsError(
        absl::StrCat("audit.audit_id: audit ", audit.audit_id(),
                     " already exists with different content"));
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_->Handle(kAudits), key, bytes);
  batch.Put(store_->Handle(kAudits),
            ForceAuditKey(audit.force(), audit.audit_id()), "");
  RETURN_IF_ERROR(store_->Write(&batch));
  return audit;
}

absl::StatusOr<v1::Audit> CrimeRecordingStore::GetAudit(
    const std::string& audit_id) const {
  ASSIGN_OR_RETURN(auto bytes, store_->Get(kAudits, AuditKey(audit_id)));
  if (!bytes.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("audit_id: no audit '", audit_id, "'"));
  }
  return ParseStored<v1::Audit>(*bytes, "audit");
}

absl::StatusOr<std::vector<v1::Audit>> CrimeRecordingStore::ListAudits(
    const std::string& force) const {
  std::vector<v1::Audit> out;
  absl::Status parse_status;
  if (force.empty()) {
    RETURN_IF_ERROR(store_->ScanPrefix(
        kAudits, "A", [&](absl::string_view, absl::string_view v) {
          v1::Audit a;
          if (!a.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
            parse_status = absl::DataLossError("cannot parse stored audit");
            return false;
          }
          out.push_back(std::move(a));
          return true;
        }));
    RETURN_IF_ERROR(parse_status);
    return out;
  }
  std::vector<std::string> ids;
  const std::string prefix = KeyBuilder('F').Id(force).Take();
  RETURN_IF_ERROR(store_->ScanPrefix(
      kAudits, prefix, [&](absl::string_view k, absl::string_view) {
        store::KeyReader r(k);
        char tag;
        absl::string_view f, id;
        if (r.Tag(&tag) && r.Id(&f) && r.Id(&id)) ids.emplace_back(id);
        return true;
      }));
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto a, GetAudit(id));
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<BatchAck> CrimeRecordingStore::ApplyIncidents(
    const v1::AuditedIncidentBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.incidents_size(), "incidents"));
  ASSIGN_OR_RETURN(v1::Audit audit, GetAudit(batch.audit_id()));

  BatchPlan plan(batch.sequence(), batch.incidents_size());
  for (int i = 0; i < batch.incidents_size(); ++i) {
    const auto& incident = batch.incidents(i);
    FieldViolations v(absl::StrCat("incidents[", i, "]."));
    ValidateAuditedIncident(incident, audit, &v);
    if (!v.empty()) {
      plan.Reject(i, incident.incident_id(), v);
      continue;
    }
    plan.Propose(i, incident.incident_id(),
                 IncidentKey(audit.audit_id(), incident.incident_id()),
                 ingest::CanonicalBytes(incident));
  }

  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kRecords));
  if (!fresh.empty()) {
    ASSIGN_OR_RETURN(v1::storage::AuditTally tally, GetTally(audit.audit_id()));
    rocksdb::WriteBatch wb;
    for (int p : fresh) {
      const Candidate& c = plan.proposals()[p];
      wb.Put(store_->Handle(kRecords), c.key, c.value);
      AddToTally(batch.incidents(plan.record_index(p)), &tally);
    }
    wb.Put(store_->Handle(kAggregates), TallyKey(audit.audit_id()),
           tally.SerializeAsString());
    RETURN_IF_ERROR(store_->Write(&wb));
    plan.Accepted(fresh);
  }
  return plan.TakeAck();
}

absl::StatusOr<BatchAck> CrimeRecordingStore::ApplyCancellationReviews(
    const v1::CancellationReviewBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.reviews_size(), "reviews"));
  ASSIGN_OR_RETURN(v1::Audit audit, GetAudit(batch.audit_id()));

  BatchPlan plan(batch.sequence(), batch.reviews_size());
  for (int i = 0; i < batch.reviews_size(); ++i) {
    const auto& review = batch.reviews(i);
    FieldViolations v(absl::StrCat("reviews[", i, "]."));
    ValidateCancellationReview(review, &v);
    if (!v.empty()) {
      plan.Reject(i, review.review_id(), v);
      continue;
    }
    plan.Propose(i, review.review_id(),
                 ReviewKey(audit.audit_id(), review.review_id()),
                 ingest::CanonicalBytes(review));
  }

  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kRecords));
  if (!fresh.empty()) {
    ASSIGN_OR_RETURN(auto tally, GetCancellationTally(audit.audit_id()));
    rocksdb::WriteBatch wb;
    for (int p : fresh) {
      const auto& review = batch.reviews(plan.record_index(p));
      wb.Put(store_->Handle(kRecords), plan.proposals()[p].key,
             plan.proposals()[p].value);
      v1::storage::ReasonTally* r = nullptr;
      for (auto& t : *tally.mutable_reasons()) {
        if (t.reason() == review.reason()) r = &t;
      }
      if (r == nullptr) {
        r = tally.add_reasons();
        r->set_reason(review.reason());
      }
      r->set_reviews(r->reviews() + 1);
      if (review.decision_correct()) r->set_correct(r->correct() + 1);
      if (review.evidence_present()) {
        r->set_evidence_present(r->evidence_present() + 1);
      }
    }
    wb.Put(store_->Handle(kAggregates), CancellationTallyKey(audit.audit_id()),
           tally.SerializeAsString());
    RETURN_IF_ERROR(store_->Write(&wb));
    plan.Accepted(fresh);
  }
  return plan.TakeAck();
}

absl::StatusOr<BatchAck> CrimeRecordingStore::ApplyIncidentLog(
    const v1::IncidentLogBatch& batch) {
  RETURN_IF_ERROR(ingest::CheckBatchSize(batch.entries_size(), "entries"));
  {
    FieldViolations v;
    validation::CheckForce("force", batch.force(), &v);
    RETURN_IF_ERROR(v.ToStatus());
  }
  BatchPlan plan(batch.sequence(), batch.entries_size());
  for (int i = 0; i < batch.entries_size(); ++i) {
    const auto& entry = batch.entries(i);
    FieldViolations v(absl::StrCat("entries[", i, "]."));
    ValidateIncidentLogEntry(entry, &v);
    if (!v.empty()) {
      plan.Reject(i, entry.incident_id(), v);
      continue;
    }
    plan.Propose(i, entry.incident_id(),
                 LogKey(batch.force(), entry.incident_id()),
                 ingest::CanonicalBytes(entry));
  }

  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(std::vector<int> fresh, plan.Resolve(*store_, kRecords));
  if (!fresh.empty()) {
    rocksdb::WriteBatch wb;
    for (int p : fresh) {
      const auto& entry = batch.entries(plan.record_index(p));
      wb.Put(store_->Handle(kRecords), plan.proposals()[p].key,
             plan.proposals()[p].value);
      const char stratum = static_cast<char>(entry.stratum());
      wb.Put(store_->Handle(kLogByTime),
             LogTimeKey(batch.force(), entry.opened_at().seconds(),
                        entry.incident_id()),
             rocksdb::Slice(&stratum, 1));
    }
    RETURN_IF_ERROR(store_->Write(&wb));
    plan.Accepted(fresh);
  }
  return plan.TakeAck();
}

absl::StatusOr<v1::storage::AuditTally> CrimeRecordingStore::GetTally(
    const std::string& audit_id) const {
  ASSIGN_OR_RETURN(auto bytes, store_->Get(kAggregates, TallyKey(audit_id)));
  if (!bytes.has_value()) return v1::storage::AuditTally();
  return ParseStored<v1::storage::AuditTally>(*bytes, "audit tally");
}

absl::StatusOr<v1::storage::CancellationTally>
CrimeRecordingStore::GetCancellationTally(const std::string& audit_id) const {
  ASSIGN_OR_RETURN(auto bytes,
                   store_->Get(kAggregates, CancellationTallyKey(audit_id)));
  if (!bytes.has_value()) return v1::storage::CancellationTally();
  return ParseStored<v1::storage::CancellationTally>(*bytes,
                                                     "cancellation tally");
}

absl::Status CrimeRecordingStore::ScanLog(
    const std::string& force, int64_t start_seconds, int64_t end_seconds,
    const std::function<void(absl::string_view, int)>& visit) const {
  const std::string begin = KeyBuilder('T').Id(force).I64(start_seconds).Take();
  const std::string end = KeyBuilder('T').Id(force).I64(end_seconds).Take();
  return store_->Scan(kLogByTime, begin, end,
                      [&](absl::string_view k, absl::string_view v) {
                        store::KeyReader r(k);
                        char tag;
                        absl::string_view f, id;
                        int64_t t;
                        if (r.Tag(&tag) && r.Id(&f) && r.I64(&t) && r.Id(&id) &&
                            v.size() == 1) {
                          visit(id, static_cast<unsigned char>(v[0]));
                        }
                        return true;
                      });
}

absl::StatusOr<v1::IncidentLogEntry> CrimeRecordingStore::GetLogEntry(
    const std::string& force, absl::string_view incident_id) const {
  ASSIGN_OR_RETURN(auto bytes,
                   store_->Get(kRecords, LogKey(force, incident_id)));
  if (!bytes.has_value()) {
    return absl::DataLossError(
        absl::StrCat("log index names missing incident ", incident_id));
  }
  return ParseStored<v1::IncidentLogEntry>(*bytes, "incident log entry");
}

}  // namespace peel::crimerecording
