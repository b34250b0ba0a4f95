#include "services/victim-service/call_tally_merge.h"

#include <deque>
#include <string>

#include "services/victim-service/summaries.h"

namespace peel::victimservice {

namespace {

bool AddBytes(const rocksdb::Slice& bytes, v1::storage::CallTally* sum,
              v1::storage::CallTally* scratch) {
  if (!scratch->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return false;
  }
  MergeCallTally(*scratch, sum);
  return true;
}

// Parses the base and every operand once and serializes once: the
// pairwise default (AssociativeMergeOperator) would parse and serialize the
// growing sum again for each of a flush's many deltas per key.
class CallTallyMergeOperator : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in,
                   MergeOperationOutput* out) const override {
    if (in.key.empty() || in.key[0] != 'H') return false;
    v1::storage::CallTally sum, scratch;
    if (in.existing_value != nullptr &&
        !AddBytes(*in.existing_value, &sum, &scratch)) {
      return false;
    }
    for (const rocksdb::Slice& operand : in.operand_list) {
      if (!AddBytes(operand, &sum, &scratch)) return false;
    }
    return sum.SerializeToString(&out->new_value);
  }
  bool PartialMergeMulti(const rocksdb::Slice& key,
                         const std::deque<rocksdb::Slice>& operands,
                         std::string* new_value,
                         rocksdb::Logger*) const override {
    if (key.empty() || key[0] != 'H') return false;
    v1::storage::CallTally sum, scratch;
    for (const rocksdb::Slice& operand : operands) {
      if (!AddBytes(operand, &sum, &scratch)) return false;
    }
    return sum.SerializeToString(new_value);
  }
  bool PartialMerge(const rocksdb::Slice& key, const rocksdb::Slice& left,
                    const rocksdb::Slice& right, std::string* new_value,
                    rocksdb::Logger* logger) const override {
    return PartialMergeMulti(key, {left, right}, new_value, logger);
  }
  const char* Name() const override { return "peel.victimservice.CallTally"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewCallTallyMergeOperator() {
  return std::make_shared<CallTallyMergeOperator>();
}

}  // namespace peel::victimservice
