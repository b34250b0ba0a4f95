#include "common/ingest/aggregate_journal.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/store/keys.h"
#include "common/store/store.h"
#include "common/util/status_macros.h"

namespace peel::ingest {

std::string JournalKey(uint64_t n) {
  return store::KeyBuilder('J').U64(n).Take();
}

bool ReadJournalKey(absl::string_view key, uint64_t* n) {
  store::KeyReader r(key);
  char tag;
  return r.Tag(&tag) && tag == 'J' && r.U64(n);
}

absl::StatusOr<JournalReplay> ReplayJournal(
    const store::Store& store, const JournalShape& shape,
    const std::vector<std::pair<std::string, std::string>>& entries,
    const std::function<absl::Status(absl::string_view record)>& replay) {
  JournalReplay out;
  std::vector<std::string> keys;
  for (const auto& [key, value] : entries) {
    uint64_t n;
    if (!ReadJournalKey(key, &n)) {
      return absl::DataLossError(
          absl::StrCat("malformed ", shape.journal, " key"));
    }
    out.next = std::max(out.next, n + 1);
    keys.clear();
    RETURN_IF_ERROR(shape.record_keys(value, &keys));
    ASSIGN_OR_RETURN(auto records, store.MultiGet(shape.records_cf, keys));
    for (const auto& record : records) {
      if (!record.has_value()) {
        return absl::DataLossError(
            absl::StrCat(shape.journal, " names a missing ", shape.record));
      }
      RETURN_IF_ERROR(replay(*record));
    }
    out.keys.push_back(key);
    out.records += static_cast<int64_t>(records.size());
  }
  return out;
}

}  // namespace peel::ingest
