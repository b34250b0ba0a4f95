#include "common/store/store.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/store/keys.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_buffer_manager.h"

namespace peel::store {
namespace {

absl::Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return absl::OkStatus();
  std::string message = absl::StrCat("rocksdb: ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(message, " (is another process using this data dir?)"));
  }
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsBusy() || s.IsTryAgain()) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

// The stores open in this process, for CheckpointOpenStore.
std::mutex& OpenStoresMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}
std::set<const Store*>& OpenStores() {
  static auto* stores = new std::set<const Store*>;
  return *stores;
}

}  // namespace

absl::StatusOr<uint64_t> CheckpointOpenStore(const std::string& dir) {
  std::lock_guard<std::mutex> lock(OpenStoresMutex());
  if (OpenStores().size() != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("this process has ", OpenStores().size(),
                     " stores open; a checkpoint needs exactly one"));
  }
  uint64_t version = 0;
  absl::Status s = (*OpenStores().begin())->Checkpoint(dir, &version);
  if (!s.ok()) return s;
  return version;
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const StoreOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("store path is empty (set --data_dir)");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data dir ", options.path, ": ", ec.message()));
  }

  for (const auto& [cf_name, op] : options.merge_operators) {
    if (std::find(options.column_families.begin(),
                  options.column_families.end(),
                  cf_name) == options.column_families.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("merge operator for unknown column family ", cf_name));
    }
  }
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  table.cache_index_and_filter_blocks = false;

  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = options.write_buffer_bytes;
  cf_options.max_write_buffer_number = 3;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kNoCompression;
  // A whole-key bloom filter on each memtable: the duplicate check of every
  // ingested record looks up keys that are mostly absent, and the filter
  // answers those without searching the skip list (perf: that search was a
  // third of victim-service's CPU importing 10^6 call records).
  cf_options.memtable_prefix_bloom_size_ratio = 0.1;
  cf_options.memtable_whole_key_filtering = true;

  rocksdb::DBOptions db_options;
  if (options.low_priority_compactions) {
    // Process-wide and sticky: the pool's threads lower themselves as they
    // next look for work. Not supported off Linux/POSIX: then unchanged.
    rocksdb::Env::Default()
        ->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW,
                                     rocksdb::CpuPriority::kLow)
        .PermitUncheckedError();
  }
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.max_total_wal_size = 256 << 20;
  db_options.keep_log_file_num = 3;
  if (options.memtable_budget_bytes > 0) {
    db_options.write_buffer_manager =
        std::make_shared<rocksdb::WriteBufferManager>(
            options.memtable_budget_bytes, cache);
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (const std::string& name : options.column_families) {
    rocksdb::ColumnFamilyOptions cf = cf_options;
    for (const auto& [cf_name, op] : options.merge_operators) {
      if (cf_name == name) cf.merge_operator = op;
    }
    descriptors.emplace_back(name, cf);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s);

  std::unique_ptr<Store> store(new Store());
  store->path_ = options.path;
  store->sync_writes_ = options.sync_writes;
  store->db_.reset(raw);
  store->default_handle_ = handles[0];
  store->handles_.assign(handles.begin() + 1, handles.end());
  {
    std::lock_guard<std::mutex> lock(OpenStoresMutex());
    OpenStores().insert(store.get());
  }
  return store;
}

Store::~Store() {
  {
    std::lock_guard<std::mutex> lock(OpenStoresMutex());
    OpenStores().erase(this);
  }
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  db_->DestroyColumnFamilyHandle(default_handle_);
  db_->Close();
}

rocksdb::ColumnFamilyHandle* Store::Handle(size_t cf) const {
  return handles_.at(cf);
}

absl::StatusOr<std::optional<std::string>> Store::Get(
    size_t cf, absl::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(cf),
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::optional<std::string>>> Store::MultiGet(
    size_t cf, const std::vector<std::string>& keys) const {
  std::vector<std::optional<std::string>> out(keys.size());
  if (keys.empty()) return out;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), Handle(cf), keys.size(), slices.data(),
                values.data(), statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i]);
    out[i] = values[i].ToString();
  }
  return out;
}

absl::Status Store::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions wo;
  wo.sync = sync_writes_;
  return FromRocks(db_->Write(wo, batch));
}

absl::Status Store::Scan(size_t cf, absl::string_view begin,
                         absl::string_view end, const Visitor& visit) const {
  rocksdb::ReadOptions ro;
  rocksdb::Slice upper(end.data(), end.size());
  if (!end.empty()) ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, Handle(cf)));
  for (it->Seek(rocksdb::Slice(begin.data(), begin.size())); it->Valid();
       it->Next()) {
    rocksdb::Slice k = it->key();
    rocksdb::Slice v = it->value();
    if (!visit(absl::string_view(k.data(), k.size()),
               absl::string_view(v.data(), v.size()))) {
      break;
    }
  }
  return FromRocks(it->status());
}

absl::Status Store::ScanPrefix(size_t cf, absl::string_view prefix,
                               const Visitor& visit) const {
  std::string end = PrefixEnd(prefix);
  return Scan(cf, prefix, end, visit);
}

uint64_t Store::DataVersion() const { return db_->GetLatestSequenceNumber(); }

uint64_t Store::ApproximateBytes() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t v = 0;
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kTotalSstFilesSize,
                            &v)) {
      total += v;
    }
    if (db_->GetIntProperty(h, rocksdb::DB::Properties::kCurSizeAllMemTables,
                            &v)) {
      total += v;
    }
  }
  return total;
}

absl::Status Store::Checkpoint(const std::string& dir,
                               uint64_t* version) const {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
  if (!s.ok()) return FromRocks(s);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir, 0, version));
}

}  // namespace peel::store
