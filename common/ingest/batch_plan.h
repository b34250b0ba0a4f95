#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/ingest/batch_ack.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/store.h"
#include "common/validation/field_violations.h"

// The shape every batched ingest takes, written once:
//   1. CheckBatchSize; then per record Reject(...) or Propose(...);
//   2. under the service's writer lock: Resolve() against the store, put the
//      new proposals and the aggregates they change in one WriteBatch,
//      Write it, then Accepted(fresh);
//   3. TakeAck(): one result per record, in batch order.
namespace peel::ingest {

inline constexpr size_t kMaxBatchRecords = 10000;

// INVALID_ARGUMENT for an empty batch, RESOURCE_EXHAUSTED above the limit.
absl::Status CheckBatchSize(int records, absl::string_view field,
                            size_t max_records = kMaxBatchRecords);

class BatchPlan {
 public:
  BatchPlan(uint64_t sequence, int records);

  void Reject(int index, absl::string_view id,
              const validation::FieldViolations& violations);
  void Propose(int index, std::string id, std::string key, std::string value);

  // Indexes into proposals() of records that are new. Duplicates and
  // conflicting ids are entered in the ack here.
  absl::StatusOr<std::vector<int>> Resolve(const store::Store& store,
                                           size_t cf);
  // The same from resolutions the caller obtained itself (ResolveWrites),
  // e.g. when it may have to resolve again before deciding.
  std::vector<int> Decide(const std::vector<Resolution>& resolutions);
  // After the WriteBatch holding `fresh` is written.
  void Accepted(const std::vector<int>& fresh);

  const std::vector<Candidate>& proposals() const { return proposals_; }
  int record_index(int proposal) const { return index_[proposal]; }
  peel::common::v1::BatchAck TakeAck();

 private:
  BatchAckBuilder ack_;
  std::vector<Candidate> proposals_;
  std::vector<int> index_;
  std::vector<std::string> ids_;
};

}  // namespace peel::ingest
