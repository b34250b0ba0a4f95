#include "services/victim-service/call_tally_merge.h"

#include <deque>
#include <string>

#include "services/victim-service/summaries.h"

namespace peel::victimservice {

namespace {

// The sum of `operands` (parsed each once) added to `base` when given,
// serialized into `out`; false when any of them does not parse.
template <typename Operands>
bool Sum(const rocksdb::Slice* base, const Operands& operands,
         std::string* out) {
  v1::storage::CallTally sum, delta;
  auto add = [&](const rocksdb::Slice& bytes) {
    if (!delta.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return false;
    }
    MergeCallTally(delta, &sum);
    return true;
  };
  if (base != nullptr && !add(*base)) return false;
  for (const rocksdb::Slice& operand : operands) {
    if (!add(operand)) return false;
  }
  return sum.SerializeToString(out);
}

bool IsCallTallyKey(const rocksdb::Slice& key) {
  return !key.empty() && key[0] == 'H';
}

// Parses the base and every operand once and serializes once: the
// pairwise default (AssociativeMergeOperator) would parse and serialize the
// growing sum again for each of a flush's many deltas per key.
class CallTallyMergeOperator : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in,
                   MergeOperationOutput* out) const override {
    return IsCallTallyKey(in.key) &&
           Sum(in.existing_value, in.operand_list, &out->new_value);
  }
  bool PartialMergeMulti(const rocksdb::Slice& key,
                         const std::deque<rocksdb::Slice>& operands,
                         std::string* new_value,
                         rocksdb::Logger*) const override {
    return IsCallTallyKey(key) && Sum(nullptr, operands, new_value);
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
