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

bool CsvReader::Refill() {
  buffer_.resize(1 << 20);
  in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.resize(static_cast<size_t>(in_->gcount()));
  pos_ = 0;
  return !buffer_.empty();
}

int CsvReader::Peek() {
  if (pos_ == buffer_.size() && !Refill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_]);
}

void CsvReader::Skip(size_t n) {
  pos_ += n;
  consumed_ += static_cast<int64_t>(n);
}

// Copies runs of ordinary bytes with one append each rather than byte by
// byte: the reader was a tenth of an import's CPU.
bool CsvReader::ReadRecord(std::vector<std::string>* fields) {
  if (Peek() < 0) return false;
  ++line_;
  size_t n = 0;  // fields filled, reusing the vector's strings
  auto field = [&]() -> std::string& {
    if (n == fields->size()) fields->emplace_back();
    return (*fields)[n];
  };
  field().clear();
  bool quoted = false;
  while (Peek() >= 0) {
    const char* begin = buffer_.data() + pos_;
    const char* end = buffer_.data() + buffer_.size();
    const char* p = begin;
    std::string& f = field();
    if (quoted) {
      while (p < end && *p != '"') {
        if (*p == '\n') ++line_;
        ++p;
      }
      f.append(begin, p);
      Skip(static_cast<size_t>(p - begin));
      if (p == end) continue;  // the field goes on in the next chunk
      Skip(1);
      if (Peek() == '"') {  // "" inside quotes
        f.push_back('"');
        Skip(1);
      } else {
        quoted = false;
      }
      continue;
    }
    while (p < end && *p != ',' && *p != '\n' && *p != '\r' && *p != '"') ++p;
    f.append(begin, p);
    Skip(static_cast<size_t>(p - begin));
    if (p == end) continue;
    const char c = *p;
    Skip(1);
    if (c == '"') {
      if (f.empty()) {
        quoted = true;
      } else {
        f.push_back('"');
      }
    } else if (c == ',') {
      ++n;
      field().clear();
    } else {
      if (c == '\r' && Peek() == '\n') Skip(1);
      break;
    }
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
