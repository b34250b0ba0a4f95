#include "services/gateway/store.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "common/util/status_macros.h"
#include "services/gateway/validate.h"

namespace peel::gateway {
namespace {

using store::KeyBuilder;
constexpr size_t kRecords = 0;

constexpr char kJudgment = 'j';
constexpr char kFinding = 'f';
constexpr char kRecStatus = 's';
constexpr char kMonitoring = 'm';

std::string RecordKey(char kind, absl::string_view id) {
  std::string k(1, 'R');
  k.push_back(kind);
  k.append(id.data(), id.size());
  k.push_back('\0');
  return k;
}
std::string HistoryPrefix(absl::string_view force) {
  return KeyBuilder('H').Id(force).Take();
}
std::string HistoryKey(absl::string_view force, uint64_t seq) {
  return KeyBuilder('H').Id(force).U64(seq).Take();
}
const char kSequenceKey[] = "Q";

std::string EncodeU64(uint64_t v) {
  std::string s = KeyBuilder('Q').U64(v).Take();
  return s.substr(1);
}
uint64_t DecodeU64(absl::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

// The record's own message bytes, for the duplicate test.
std::string ContentBytes(const storage::StoredRecord& r) {
  switch (r.record_case()) {
    case storage::StoredRecord::kJudgment:
      return ingest::CanonicalBytes(r.judgment());
    case storage::StoredRecord::kFinding:
      return ingest::CanonicalBytes(r.finding());
    case storage::StoredRecord::kRecommendationStatus:
      return ingest::CanonicalBytes(r.recommendation_status());
    case storage::StoredRecord::kMonitoring:
      return ingest::CanonicalBytes(r.monitoring());
    default:
      return "";
  }
}

absl::StatusOr<storage::StoredRecord> Parse(const std::string& bytes) {
  storage::StoredRecord r;
  if (!r.ParseFromString(bytes)) {
    return absl::DataLossError("cannot parse a stored gateway record");
  }
  return r;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JudgmentsStore>> JudgmentsStore::Open(
    store::StoreOptions options) {
  options.column_families = {"records"};
  ASSIGN_OR_RETURN(auto s, store::Store::Open(options));
  std::unique_ptr<JudgmentsStore> js(new JudgmentsStore(std::move(s)));
  ASSIGN_OR_RETURN(auto seq, js->store_->Get(kRecords, kSequenceKey));
  absl::MutexLock lock(&js->write_mu_);
  js->last_sequence_ = seq.has_value() ? DecodeU64(*seq) : 0;
  return js;
}

absl::StatusOr<Recorded> JudgmentsStore::Put(char kind, const std::string& id,
                                             const std::string& force,
                                             storage::StoredRecord record) {
  const std::string key = RecordKey(kind, id);
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(auto existing, store_->Get(kRecords, key));
  if (existing.has_value()) {
    ASSIGN_OR_RETURN(storage::StoredRecord stored, Parse(*existing));
    if (ContentBytes(stored) == ContentBytes(record)) {
      return Recorded{stored.sequence(), true};
    }
    return absl::AlreadyExistsError(
        absl::StrCat("id '", id,
                     "' is already recorded with different content; record "
                     "a change under a new id (the history keeps both)"));
  }
  const uint64_t seq = last_sequence_ + 1;
  record.set_sequence(seq);
  rocksdb::WriteBatch batch;
  auto* cf = store_->Handle(kRecords);
  batch.Put(cf, key, record.SerializeAsString());
  batch.Put(cf, HistoryKey(force, seq), std::string(1, kind) + id);
  batch.Put(cf, kSequenceKey, EncodeU64(seq));
  RETURN_IF_ERROR(store_->Write(&batch));
  last_sequence_ = seq;
  return Recorded{seq, false};
}

absl::StatusOr<Recorded> JudgmentsStore::RecordJudgment(const v1::Judgment& j) {
  RETURN_IF_ERROR(ValidateJudgment(j));
  storage::StoredRecord r;
  *r.mutable_judgment() = j;
  return Put(kJudgment, j.judgment_id(), j.force(), std::move(r));
}

absl::StatusOr<Recorded> JudgmentsStore::RecordFinding(const v1::Finding& f) {
  RETURN_IF_ERROR(ValidateFinding(f));
  storage::StoredRecord r;
  *r.mutable_finding() = f;
  return Put(kFinding, f.finding_id(), f.force(), std::move(r));
}

absl::StatusOr<Recorded> JudgmentsStore::RecordRecommendationStatus(
    const v1::RecommendationStatus& s) {
  RETURN_IF_ERROR(ValidateRecommendationStatus(s));
  ASSIGN_OR_RETURN(auto finding_bytes,
                   store_->Get(kRecords, RecordKey(kFinding, s.finding_id())));
  if (!finding_bytes.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "status.finding_id: no finding '", s.finding_id(), "' is recorded"));
  }
  ASSIGN_OR_RETURN(storage::StoredRecord finding, Parse(*finding_bytes));
  bool known = false;
  for (const auto& rec : finding.finding().recommendations()) {
    if (rec.recommendation_id() == s.recommendation_id()) known = true;
  }
  if (!known) {
    return absl::FailedPreconditionError(
        absl::StrCat("status.recommendation_id: finding '", s.finding_id(),
                     "' has no recommendation '", s.recommendation_id(), "'"));
  }
  storage::StoredRecord r;
  *r.mutable_recommendation_status() = s;
  return Put(kRecStatus, s.status_id(), finding.finding().force(),
             std::move(r));
}

absl::StatusOr<Recorded> JudgmentsStore::RecordMonitoringStatus(
    const v1::MonitoringStatus& s) {
  RETURN_IF_ERROR(ValidateMonitoringStatus(s));
  storage::StoredRecord r;
  *r.mutable_monitoring() = s;
  return Put(kMonitoring, s.status_id(), s.force(), std::move(r));
}

absl::StatusOr<v1::ListJudgmentsResponse> JudgmentsStore::List(
    const std::string& force, v1::Area area) const {
  std::vector<std::string> keys;
  RETURN_IF_ERROR(store_->ScanPrefix(
      kRecords, HistoryPrefix(force),
      [&](absl::string_view, absl::string_view value) {
        if (!value.empty()) {
          keys.push_back(RecordKey(value[0], value.substr(1)));
        }
        return true;
      }));
  ASSIGN_OR_RETURN(auto values, store_->MultiGet(kRecords, keys));
  v1::ListJudgmentsResponse out;
  std::vector<v1::RecommendationStatus> statuses;
  for (const auto& v : values) {
    if (!v.has_value()) {
      return absl::DataLossError("a history entry has no record");
    }
    ASSIGN_OR_RETURN(storage::StoredRecord r, Parse(*v));
    switch (r.record_case()) {
      case storage::StoredRecord::kJudgment:
        if (area == v1::AREA_UNSPECIFIED || r.judgment().area() == area) {
          *out.add_judgments() = std::move(*r.mutable_judgment());
        }
        break;
      case storage::StoredRecord::kFinding:
        if (area == v1::AREA_UNSPECIFIED || r.finding().area() == area) {
          *out.add_findings() = std::move(*r.mutable_finding());
        }
        break;
      case storage::StoredRecord::kRecommendationStatus:
        statuses.push_back(std::move(*r.mutable_recommendation_status()));
        break;
      case storage::StoredRecord::kMonitoring:
        *out.add_monitoring() = std::move(*r.mutable_monitoring());
        break;
      default:
        return absl::DataLossError("a stored gateway record is empty");
    }
  }
  for (auto& s : statuses) {
    for (auto& f : *out.mutable_findings()) {
      if (f.finding_id() != s.finding_id()) continue;
      for (auto& rec : *f.mutable_recommendations()) {
        if (rec.recommendation_id() == s.recommendation_id()) {
          *rec.add_history() = s;
        }
      }
    }
  }
  return out;
}

}  // namespace peel::gateway
