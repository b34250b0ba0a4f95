#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

// Maps CSV columns onto a record message by field path, with the message's
// own descriptor: a column named "seizures.cash_pence" sets that nested
// field. Enums are written by value name (case and '-' forgiven), booleans
// as yes/no, times as ISO 8601, repeated scalars separated by ';'. A path
// through one repeated message field ("crimes.recorded") adds one element
// per row; consecutive rows with the same record id add to the same record.
namespace peel::peelctl {

struct CellError {
  std::string column;
  std::string reason;
};

class RowMapper {
 public:
  // UNKNOWN columns are an error naming them and listing the known paths.
  static absl::StatusOr<RowMapper> Create(
      const google::protobuf::Descriptor* record,
      const std::vector<std::string>& header);

  // Sets the row's cells on `record`. `continuation`: the row continues the
  // record (same id as the previous row): only its repeated-element columns
  // are applied. Bad cells are reported; the caller drops the record.
  void Apply(const std::vector<std::string>& row, bool continuation,
             google::protobuf::Message* record,
             std::vector<CellError>* errors) const;

  // The column holding the record's id ("..._id" field), or -1.
  int id_column() const { return id_column_; }
  bool has_repeated_element() const { return repeated_ != nullptr; }

  // Every settable path of `record`, for help and error messages.
  static std::vector<std::string> Paths(
      const google::protobuf::Descriptor* record);

 private:
  struct Column {
    int index;  // in the row
    std::string name;
    // Fields from the record (or from the repeated element) to the leaf.
    std::vector<const google::protobuf::FieldDescriptor*> path;
    bool in_repeated_element = false;
  };

  void SetLeaf(google::protobuf::Message* parent, const Column& c,
               const std::string& text, std::vector<CellError>* errors) const;
  // One value of the leaf (set, or added to a repeated field); false after
  // reporting a bad value.
  bool SetValue(google::protobuf::Message* msg, const Column& c,
                absl::string_view text, std::vector<CellError>* errors) const;

  std::vector<Column> columns_;
  const google::protobuf::FieldDescriptor* repeated_ = nullptr;
  int id_column_ = -1;
};

}  // namespace peel::peelctl
