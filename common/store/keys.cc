#include "common/store/keys.h"

#include "absl/strings/string_view.h"

namespace peel::store {

bool KeyReader::Tag(char* tag) {
  if (rest_.empty()) return false;
  *tag = rest_.front();
  rest_.remove_prefix(1);
  return true;
}

bool KeyReader::Id(absl::string_view* id) {
  size_t end = rest_.find('\0');
  if (end == absl::string_view::npos) return false;
  *id = rest_.substr(0, end);
  rest_.remove_prefix(end + 1);
  return true;
}

bool KeyReader::U32(uint32_t* v) {
  if (rest_.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v = (*v << 8) | static_cast<uint8_t>(rest_[i]);
  rest_.remove_prefix(4);
  return true;
}

bool KeyReader::U64(uint64_t* v) {
  if (rest_.size() < 8) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) *v = (*v << 8) | static_cast<uint8_t>(rest_[i]);
  rest_.remove_prefix(8);
  return true;
}

bool KeyReader::I64(int64_t* v) {
  uint64_t u;
  if (!U64(&u)) return false;
  *v = static_cast<int64_t>(u ^ (uint64_t{1} << 63));
  return true;
}

bool KeyReader::I32(int32_t* v) {
  uint32_t u;
  if (!U32(&u)) return false;
  *v = static_cast<int32_t>(u ^ (uint32_t{1} << 31));
  return true;
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<uint8_t>(end.back()) != 0xff) {
      end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;  // empty: no upper bound
}

}  // namespace peel::store
