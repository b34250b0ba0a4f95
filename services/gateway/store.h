#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/store/store.h"
#include "peel/gateway/v1/gateway.pb.h"
#include "peel/gateway/v1/storage.pb.h"

// The gateway's own RocksDB: recorded judgments, findings, recommendation
// statuses and monitoring statuses. Everything else the gateway returns is
// computed from the backends.
//
// Column family "records":
//   'R' kind id        -> storage::StoredRecord  (kind: j f s m)
//   'H' force sequence -> kind id                (the force's history)
//   'Q'                -> last sequence (u64 big-endian)
// A record, its history entry and the sequence are one WriteBatch.
namespace peel::gateway {

namespace storage = ::peel::gateway::v1::storage;

struct Recorded {
  uint64_t sequence = 0;
  bool duplicate = false;
};

class JudgmentsStore {
 public:
  static absl::StatusOr<std::unique_ptr<JudgmentsStore>> Open(
      store::StoreOptions options);

  // Validated, then stored; the same id with the same content is a
  // duplicate (nothing written); with different content ALREADY_EXISTS.
  absl::StatusOr<Recorded> RecordJudgment(const v1::Judgment& j);
  absl::StatusOr<Recorded> RecordFinding(const v1::Finding& f);
  // The finding and its recommendation must exist (FAILED_PRECONDITION).
  absl::StatusOr<Recorded> RecordRecommendationStatus(
      const v1::RecommendationStatus& s);
  absl::StatusOr<Recorded> RecordMonitoringStatus(
      const v1::MonitoringStatus& s);

  // Everything recorded for `force`, oldest first, recommendation histories
  // attached to their findings. `area` filters judgments and findings
  // (AREA_UNSPECIFIED: all).
  absl::StatusOr<v1::ListJudgmentsResponse> List(const std::string& force,
                                                 v1::Area area) const;

  uint64_t DataVersion() const { return store_->DataVersion(); }

 private:
  explicit JudgmentsStore(std::unique_ptr<store::Store> s)
      : store_(std::move(s)) {}
  absl::StatusOr<Recorded> Put(char kind, const std::string& id,
                               const std::string& force,
                               storage::StoredRecord record);

  std::unique_ptr<store::Store> store_;
  absl::Mutex write_mu_;
  uint64_t last_sequence_ ABSL_GUARDED_BY(write_mu_) = 0;
};

}  // namespace peel::gateway
