#include "common/ingest/batch_plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/util/status_macros.h"

namespace peel::ingest {

absl::Status CheckBatchSize(int records, absl::string_view field,
                            size_t max_records) {
  if (records <= 0) {
    return validation::InvalidField(field, "empty batch: send at least one");
  }
  if (static_cast<size_t>(records) > max_records) {
    return absl::ResourceExhaustedError(absl::StrCat(
        field, ": ", records, " records in one batch; at most ", max_records));
  }
  return absl::OkStatus();
}

BatchPlan::BatchPlan(uint64_t sequence, int records) : ack_(sequence, records) {
  proposals_.reserve(records);
  index_.reserve(records);
  ids_.reserve(records);
}

void BatchPlan::Reject(int index, absl::string_view id,
                       const validation::FieldViolations& violations) {
  ack_.Rejected(index, id, violations);
}

void BatchPlan::Propose(int index, std::string id, std::string key,
                        std::string value) {
  proposals_.push_back({std::move(key), std::move(value)});
  index_.push_back(index);
  ids_.push_back(std::move(id));
}

absl::StatusOr<std::vector<int>> BatchPlan::Resolve(const store::Store& store,
                                                    size_t cf) {
  ASSIGN_OR_RETURN(auto resolutions, ResolveWrites(store, cf, proposals_));
  return Decide(resolutions);
}

std::vector<int> BatchPlan::Decide(const std::vector<Resolution>& resolutions) {
  std::vector<int> fresh;
  fresh.reserve(proposals_.size());
  for (size_t i = 0; i < proposals_.size(); ++i) {
    switch (resolutions[i]) {
      case Resolution::kNew:
        fresh.push_back(static_cast<int>(i));
        break;
      case Resolution::kDuplicate:
        ack_.Duplicate(index_[i], ids_[i]);
        break;
      case Resolution::kConflict:
        ack_.Rejected(index_[i], ids_[i], "id",
                      "already stored with different content");
        break;
    }
  }
  return fresh;
}

void BatchPlan::Accepted(const std::vector<int>& fresh) {
  for (int p : fresh) ack_.Accepted(index_[p], ids_[p]);
}

peel::common::v1::BatchAck BatchPlan::TakeAck() {
  peel::common::v1::BatchAck ack = ack_.Take();
  std::sort(ack.mutable_results()->begin(), ack.mutable_results()->end(),
            [](const auto& a, const auto& b) { return a.index() < b.index(); });
  return ack;
}

}  // namespace peel::ingest
