#pragma once

#include <memory>

#include "peel/victimservice/v1/storage.pb.h"
#include "rocksdb/merge_operator.h"

// Call tallies ('H' force channel month) are stored as deltas: each ingest
// batch merges what its new calls add, and RocksDB folds the deltas (on
// read, flush and compaction) with this operator. Adding is commutative, so
// batches from concurrent streams can be written in any order without the
// service's writer lock held across the write.
namespace peel::victimservice {

// The aggregates column family's merge operator (MergeCallTally of
// summaries.h: counts and sums add, the maximum is the larger, histogram
// buckets add). Refuses (a corruption
// error on read) operands on any key but a call tally's or bytes that do
// not parse.
std::shared_ptr<rocksdb::MergeOperator> NewCallTallyMergeOperator();

}  // namespace peel::victimservice
