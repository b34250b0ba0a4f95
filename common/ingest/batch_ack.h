#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"
#include "common/validation/field_violations.h"
#include "peel/common/v1/common.pb.h"

// Builds the acknowledgement of one batch: one result per record, in order,
// and the tallies.
namespace peel::ingest {

class BatchAckBuilder {
 public:
  explicit BatchAckBuilder(uint64_t sequence, int expected_records = 0);

  void Accepted(int index, absl::string_view id);
  void Duplicate(int index, absl::string_view id);
  void Rejected(int index, absl::string_view id,
                const validation::FieldViolations& violations);
  void Rejected(int index, absl::string_view id, absl::string_view field,
                absl::string_view description);

  peel::common::v1::BatchAck Take() { return std::move(ack_); }
  const peel::common::v1::BatchAck& ack() const { return ack_; }

 private:
  peel::common::v1::RecordResult* Add(int index, absl::string_view id);
  peel::common::v1::BatchAck ack_;
};

}  // namespace peel::ingest
