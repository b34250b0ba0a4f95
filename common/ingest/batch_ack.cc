#include "common/ingest/batch_ack.h"

#include <string>

#include "absl/strings/string_view.h"

namespace peel::ingest {

using peel::common::v1::RecordResult;

BatchAckBuilder::BatchAckBuilder(uint64_t sequence, int expected_records) {
  ack_.set_sequence(sequence);
  ack_.mutable_results()->Reserve(expected_records);
}

RecordResult* BatchAckBuilder::Add(int index, absl::string_view id) {
  RecordResult* r = ack_.add_results();
  r->set_index(index);
  r->set_id(std::string(id));
  return r;
}

void BatchAckBuilder::Accepted(int index, absl::string_view id) {
  Add(index, id)->set_outcome(RecordResult::ACCEPTED);
  ack_.set_accepted(ack_.accepted() + 1);
}

void BatchAckBuilder::Duplicate(int index, absl::string_view id) {
  Add(index, id)->set_outcome(RecordResult::DUPLICATE);
  ack_.set_duplicates(ack_.duplicates() + 1);
}

void BatchAckBuilder::Rejected(int index, absl::string_view id,
                               const validation::FieldViolations& violations) {
  violations.Reject(Add(index, id));
  ack_.set_rejected(ack_.rejected() + 1);
}

void BatchAckBuilder::Rejected(int index, absl::string_view id,
                               absl::string_view field,
                               absl::string_view description) {
  validation::FieldViolations v;
  v.Add(field, description);
  Rejected(index, id, v);
}

}  // namespace peel::ingest
