#include "services/victim-service/call_tally_merge.h"

#include <algorithm>
#include <string>

namespace peel::victimservice {

void AddCallTally(const v1::storage::CallTally& delta,
                  v1::storage::CallTally* into) {
  into->set_offered(into->offered() + delta.offered());
  into->set_answered(into->answered() + delta.answered());
  into->set_abandoned(into->abandoned() + delta.abandoned());
  into->set_answer_ms_sum(into->answer_ms_sum() + delta.answer_ms_sum());
  into->set_answer_ms_max(
      std::max(into->answer_ms_max(), delta.answer_ms_max()));
  into->set_waited_ms_sum(into->waited_ms_sum() + delta.waited_ms_sum());
  auto* hist = into->mutable_answer_seconds();
  const int n = delta.answer_seconds_size();
  if (hist->size() < n) hist->Resize(n, 0);
  for (int i = 0; i < n; ++i) {
    const int64_t add = delta.answer_seconds(i);
    if (add != 0) hist->Set(i, hist->Get(i) + add);
  }
}

namespace {

class CallTallyMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger*) const override {
    if (key.empty() || key[0] != 'H') return false;
    v1::storage::CallTally sum;
    if (existing != nullptr &&
        !sum.ParseFromArray(existing->data(),
                            static_cast<int>(existing->size()))) {
      return false;
    }
    v1::storage::CallTally delta;
    if (!delta.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return false;
    }
    AddCallTally(delta, &sum);
    return sum.SerializeToString(new_value);
  }
  const char* Name() const override { return "peel.victimservice.CallTally"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewCallTallyMergeOperator() {
  return std::make_shared<CallTallyMergeOperator>();
}

}  // namespace peel::victimservice
