#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/store/store.h"
#include "peel/common/v1/common.pb.h"
#include "peel/crimerecording/v1/crime_recording.pb.h"
#include "peel/crimerecording/v1/storage.pb.h"

// The crime-recording service's RocksDB layout and its write paths. Every
// ingest applies a batch's accepted records and the aggregates they change
// in one WriteBatch, under one writer lock.
//
// Column families and keys:
//   audits      'A' audit_id                    -> Audit
//               'F' force audit_id              -> ""  (list by force)
//   records     'I' audit_id incident_id        -> AuditedIncident
//               'C' audit_id review_id          -> CancellationReview
//               'L' force incident_id           -> IncidentLogEntry
//   aggregates  'S' audit_id                    -> storage::AuditTally
//               'X' audit_id                    -> storage::CancellationTally
//   log_by_time 'T' force opened_at incident_id -> stratum (sampling index;
//               its own family so record look-ups never wade through it)
namespace peel::crimerecording {


class CrimeRecordingStore {
 public:
  enum ColumnFamily : size_t {
    kAudits = 0,
    kRecords = 1,
    kAggregates = 2,
    kLogByTime = 3,
  };

  static absl::StatusOr<std::unique_ptr<CrimeRecordingStore>> Open(
      store::StoreOptions options);

  // Creates the audit, or returns the stored one when identical;
  // ALREADY_EXISTS when the id is taken by different content.
  absl::StatusOr<v1::Audit> CreateAudit(const v1::Audit& audit);
  absl::StatusOr<v1::Audit> GetAudit(const std::string& audit_id) const;
  absl::StatusOr<std::vector<v1::Audit>> ListAudits(
      const std::string& force) const;  // empty force: all audits

  absl::StatusOr<peel::common::v1::BatchAck> ApplyIncidents(
      const v1::AuditedIncidentBatch& batch);
  absl::StatusOr<peel::common::v1::BatchAck> ApplyCancellationReviews(
      const v1::CancellationReviewBatch& batch);
  absl::StatusOr<peel::common::v1::BatchAck> ApplyIncidentLog(
      const v1::IncidentLogBatch& batch);

  absl::StatusOr<v1::storage::AuditTally> GetTally(
      const std::string& audit_id) const;
  absl::StatusOr<v1::storage::CancellationTally> GetCancellationTally(
      const std::string& audit_id) const;

  // Log entries of `force` opened in [start_seconds, end_seconds), in time
  // order, passed with their stratum to `visit`.
  absl::Status ScanLog(const std::string& force, int64_t start_seconds,
                       int64_t end_seconds,
                       const std::function<void(absl::string_view incident_id,
                                                int stratum)>& visit) const;
  absl::StatusOr<v1::IncidentLogEntry> GetLogEntry(
      const std::string& force, absl::string_view incident_id) const;

  uint64_t DataVersion() const { return store_->DataVersion(); }
  store::Store& raw() { return *store_; }

 private:
  explicit CrimeRecordingStore(std::unique_ptr<store::Store> s)
      : store_(std::move(s)) {}

  std::unique_ptr<store::Store> store_;
  // One writer at a time: resolution of duplicates and the aggregate
  // read-modify-write must see each other's effects.
  absl::Mutex write_mu_;
};

}  // namespace peel::crimerecording
