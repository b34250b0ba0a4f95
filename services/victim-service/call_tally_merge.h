#pragma once

#include <memory>

#include "peel/victimservice/v1/storage.pb.h"
#include "rocksdb/merge_operator.h"

// Call tallies ('H' force channel month) were stored as deltas until the
// call journal (store.h) replaced them: each ingest batch merged what its
// new calls added, and RocksDB folds the deltas (on read, flush and
// compaction) with this operator. It stays registered so that stores
// written then still read; checkpoints now Put full values over them.
namespace peel::victimservice {

// The aggregates column family's merge operator (MergeCallTally of
// summaries.h: counts and sums add, the maximum is the larger, histogram
// buckets add). Refuses (a corruption
// error on read) operands on any key but a call tally's or bytes that do
// not parse.
std::shared_ptr<rocksdb::MergeOperator> NewCallTallyMergeOperator();

}  // namespace peel::victimservice
