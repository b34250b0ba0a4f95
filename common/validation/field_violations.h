#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "peel/common/v1/common.pb.h"

// Collects one violation per bad field, then turns them into either an
// INVALID_ARGUMENT status carrying a google.rpc.BadRequest (unary calls) or
// the violations of a rejected record in a batch acknowledgement.
namespace peel::validation {

inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  std::string field;
  std::string description;
};

class FieldViolations {
 public:
  // `prefix` is prepended to every field, e.g. "audit." for nested messages.
  explicit FieldViolations(std::string prefix = "")
      : prefix_(std::move(prefix)) {}

  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when empty; otherwise INVALID_ARGUMENT whose message names every field
  // and whose payload is the serialized google.rpc.BadRequest.
  absl::Status ToStatus() const;

  // Marks `result` REJECTED with these violations.
  void Reject(peel::common::v1::RecordResult* result) const;

 private:
  std::string prefix_;
  std::vector<FieldViolation> violations_;
};

// A single-field INVALID_ARGUMENT.
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

// Reads the violations back out of a status made by ToStatus (for callers
// that need to forward them, e.g. into a batch acknowledgement).
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

}  // namespace peel::validation
