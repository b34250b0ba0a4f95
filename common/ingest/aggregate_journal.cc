#include "common/ingest/aggregate_journal.h"

#include "common/store/keys.h"

namespace peel::ingest {

std::string JournalKey(uint64_t n) {
  return store::KeyBuilder('J').U64(n).Take();
}

bool ReadJournalKey(absl::string_view key, uint64_t* n) {
  store::KeyReader r(key);
  char tag;
  return r.Tag(&tag) && tag == 'J' && r.U64(n);
}

}  // namespace peel::ingest
