#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// Key encoding: fixed prefixes, big-endian integers (so scans come back in
// numeric order) and ids terminated by 0x00 (ids are printable ASCII, so the
// terminator sorts below every id character and keeps prefixes distinct).
namespace peel::store {

class KeyBuilder {
 public:
  explicit KeyBuilder(char tag) { key_.push_back(tag); }

  KeyBuilder& Id(absl::string_view id) {
    key_.append(id.data(), id.size());
    key_.push_back('\0');
    return *this;
  }
  KeyBuilder& U32(uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      key_.push_back(static_cast<char>((v >> shift) & 0xff));
    }
    return *this;
  }
  KeyBuilder& U64(uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      key_.push_back(static_cast<char>((v >> shift) & 0xff));
    }
    return *this;
  }
  // Signed values with the sign bit flipped, so negatives sort first.
  KeyBuilder& I64(int64_t v) {
    return U64(static_cast<uint64_t>(v) ^ (uint64_t{1} << 63));
  }
  KeyBuilder& I32(int32_t v) {
    return U32(static_cast<uint32_t>(v) ^ (uint32_t{1} << 31));
  }

  const std::string& key() const { return key_; }
  std::string Take() { return std::move(key_); }

 private:
  std::string key_;
};

// Reads the fields of a key in the order KeyBuilder wrote them.
class KeyReader {
 public:
  explicit KeyReader(absl::string_view key) : rest_(key) {}
  bool Tag(char* tag);
  bool Id(absl::string_view* id);
  bool U32(uint32_t* v);
  bool U64(uint64_t* v);
  bool I64(int64_t* v);
  bool I32(int32_t* v);

 private:
  absl::string_view rest_;
};

// The smallest key greater than every key starting with `prefix`.
std::string PrefixEnd(absl::string_view prefix);

}  // namespace peel::store
