#include "services/victim-service/call_tally_merge.h"

#include <string>

#include "services/victim-service/summaries.h"

namespace peel::victimservice {

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
    MergeCallTally(delta, &sum);
    return sum.SerializeToString(new_value);
  }
  const char* Name() const override { return "peel.victimservice.CallTally"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewCallTallyMergeOperator() {
  return std::make_shared<CallTallyMergeOperator>();
}

}  // namespace peel::victimservice
