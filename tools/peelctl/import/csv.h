#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// A small RFC 4180 CSV reader: a header row, quoted fields with "" escapes,
// CRLF or LF line ends. Reads in 1 MiB chunks and yields one row at a time,
// so large files stream in constant memory.
namespace peel::peelctl {

class CsvReader {
 public:
  // Reads the header; InvalidArgument when the input is not CSV at all.
  static absl::StatusOr<CsvReader> Open(std::istream* in);

  // Next row; false at end of input. `line` is the 1-based line number of
  // the row's first line.
  bool Next(std::vector<std::string>* fields, int64_t* line);

  // Index of a header column, or -1.
  int Column(absl::string_view name) const;
  const std::vector<std::string>& header() const { return header_; }
  int64_t bytes_read() const { return consumed_; }

 private:
  explicit CsvReader(std::istream* in) : in_(in) {}
  bool ReadRecord(std::vector<std::string>* fields);
  bool Refill();        // the next chunk; false at end of input
  int Peek();           // the next byte, or -1 at end of input
  void Skip(size_t n);  // past n bytes of the current chunk

  std::istream* in_;
  std::string buffer_;
  size_t pos_ = 0;
  int64_t consumed_ = 0;
  std::vector<std::string> header_;
  int64_t line_ = 0;
};

// Field parsers that say what was wrong.
absl::StatusOr<bool> ParseBool(absl::string_view text);
absl::StatusOr<int64_t> ParseInt(absl::string_view text);

}  // namespace peel::peelctl
