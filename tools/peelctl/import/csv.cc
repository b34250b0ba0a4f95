#include "tools/peelctl/import/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace peel::peelctl {

absl::StatusOr<CsvReader> CsvReader::Open(std::istream* in) {
  CsvReader r(in);
  if (!r.ReadRecord(&r.header_) || r.header_.empty() ||
      (r.header_.size() == 1 && r.header_[0].empty())) {
    return absl::InvalidArgumentError("empty file: expected a CSV header row");
  }
  for (const auto& h : r.header_) {
    for (char c : h) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        return absl::InvalidArgumentError(
            "not a CSV file: the first line has control characters");
      }
    }
  }
  if (r.header_.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a CSV file: the first line has no commas ('",
                     r.header_[0].substr(0, 40), "')"));
  }
  return r;
}

int CsvReader::Get() {
  if (pos_ == buffer_.size()) {
    buffer_.resize(1 << 20);
    in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.resize(static_cast<size_t>(in_->gcount()));
    pos_ = 0;
    if (buffer_.empty()) return -1;
  }
  ++consumed_;
  return static_cast<unsigned char>(buffer_[pos_++]);
}

int CsvReader::Peek() {
  if (pos_ == buffer_.size()) {
    int c = Get();
    if (c < 0) return -1;
    --pos_;
    --consumed_;
    return c;
  }
  return static_cast<unsigned char>(buffer_[pos_]);
}

bool CsvReader::ReadRecord(std::vector<std::string>* fields) {
  size_t n = 0;  // fields filled, reusing the vector's strings
  auto field = [&]() -> std::string& {
    if (n == fields->size()) fields->emplace_back();
    return (*fields)[n];
  };
  int c = Get();
  if (c < 0) return false;
  ++line_;
  field().clear();
  bool quoted = false;
  while (true) {
    if (c < 0) break;
    if (quoted) {
      if (c == '"') {
        if (Peek() == '"') {
          field().push_back('"');
          Get();
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line_;
        field().push_back(static_cast<char>(c));
      }
    } else if (c == '"' && field().empty()) {
      quoted = true;
    } else if (c == ',') {
      ++n;
      field().clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && Peek() == '\n') Get();
      break;
    } else {
      field().push_back(static_cast<char>(c));
    }
    c = Get();
  }
  fields->resize(n + 1);
  return true;
}

bool CsvReader::Next(std::vector<std::string>* fields, int64_t* line) {
  while (true) {
    int64_t start = line_ + 1;
    if (!ReadRecord(fields)) return false;
    if (fields->size() == 1 && (*fields)[0].empty()) continue;  // blank line
    *line = start;
    return true;
  }
}

int CsvReader::Column(absl::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (absl::StripAsciiWhitespace(header_[i]) == name)
      return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<bool> ParseBool(absl::string_view text) {
  std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (t == "true" || t == "yes" || t == "y" || t == "1") return true;
  if (t == "false" || t == "no" || t == "n" || t == "0" || t.empty()) {
    return false;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is not true/false/yes/no/1/0"));
}

absl::StatusOr<int64_t> ParseInt(absl::string_view text) {
  int64_t v;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a whole number"));
  }
  return v;
}

}  // namespace peel::peelctl
