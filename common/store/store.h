#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/write_batch.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Cache;
class MergeOperator;
}  // namespace rocksdb

// The RocksDB wrapper every store service uses: a fixed list of column
// families, one shared bounded block cache, WriteBatch writes through the
// WAL, and rocksdb::Status converted to absl::Status here and nowhere else.
namespace peel::store {

struct StoreOptions {
  std::string path;
  // Column family names in the order of the service's enum; "default" is
  // opened implicitly and is not listed.
  std::vector<std::string> column_families;
  // Merge operators by column family name (the others have none). A service
  // that folds commutative deltas into an aggregate (WriteBatch::Merge) can
  // then write without holding its writer lock across the write.
  std::vector<std::pair<std::string, std::shared_ptr<rocksdb::MergeOperator>>>
      merge_operators = {};
  size_t block_cache_bytes = size_t{64} << 20;
  size_t write_buffer_bytes = size_t{32} << 20;
  // All column families' memtables together (RocksDB's WriteBufferManager
  // flushes the largest once they pass it), charged to the block cache, so
  // memtables and cached blocks share block_cache_bytes; 0: each column
  // family alone is bounded, by 3 × write_buffer_bytes, beside the cache.
  size_t memtable_budget_bytes = 0;
  // fsync the WAL on every write (slower; survives power loss, not just a
  // process crash).
  bool sync_writes = false;
  // Run compactions (RocksDB's LOW pool, shared by every store in the
  // process) at nice 19, so that on a machine with few cores the threads
  // answering calls come first; flushes keep their priority, so writes do
  // not wait for memtable space. Compactions may then lag during a long
  // ingest, leaving more level-0 files for duplicate checks to probe.
  bool low_priority_compactions = false;
};

class Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  absl::StatusOr<std::optional<std::string>> Get(size_t cf,
                                                 absl::string_view key) const;
  // One lookup per key, in order; nullopt where absent.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      size_t cf, const std::vector<std::string>& keys) const;

  // Atomically applies the batch; returns once it is in the WAL.
  absl::Status Write(rocksdb::WriteBatch* batch);

  rocksdb::ColumnFamilyHandle* Handle(size_t cf) const;

  using Visitor =
      std::function<bool(absl::string_view key, absl::string_view value)>;
  // Visits keys in [begin, end) in order (end empty: no bound) until the
  // visitor returns false.
  absl::Status Scan(size_t cf, absl::string_view begin, absl::string_view end,
                    const Visitor& visit) const;
  absl::Status ScanPrefix(size_t cf, absl::string_view prefix,
                          const Visitor& visit) const;

  // RocksDB's latest sequence number: grows with every write and survives
  // restarts, so it serves as the data version caches key on.
  uint64_t DataVersion() const;

  // Live SST + memtable bytes, for metrics.
  uint64_t ApproximateBytes() const;

  // A consistent copy of the store in `dir` (hard links where possible);
  // `version`, when given, receives the data version the copy holds.
  absl::Status Checkpoint(const std::string& dir,
                          uint64_t* version = nullptr) const;

  const std::string& path() const { return path_; }

 private:
  Store() = default;

  std::string path_;
  bool sync_writes_ = false;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // index = cf enum
  rocksdb::ColumnFamilyHandle* default_handle_ = nullptr;
};

// Checkpoints the store open in this process (a server opens exactly one)
// into `dir`, as Store::Checkpoint; returns the data version it holds.
// FAILED_PRECONDITION when no store or more than one is open. Used by the
// admin service the common server bootstrap registers.
absl::StatusOr<uint64_t> CheckpointOpenStore(const std::string& dir);

}  // namespace peel::store
