#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/server/shard_map.h"

// `peelctl import KIND FILE`: reads CSV (or JSON for nested records), maps
// rows onto the kind's record message, streams them in batches (or calls the
// unary RPC per record) and reports what the service accepted, found
// duplicate or rejected; rejected rows go to FILE.rejected.csv with line
// number and reason. Re-running after a failure counts nothing twice: the
// services recognise records already stored.
namespace peel::peelctl {

struct ImportOptions {
  std::string kind;
  std::string path;
  std::string address;
  // With shards (`--shard_map`), each record goes to the shard owning its
  // force instead of to `address` (see shard_router.h).
  std::vector<server::ShardSpec> shards;
  // Batch-level fields the file does not carry: audit_id, assessment_id,
  // force. Keyed by field name.
  std::map<std::string, std::string> batch_fields;
  int batch_size = 1000;
  int window = 4;  // batches in flight
  bool quiet = false;
};

struct ImportCounts {
  int64_t rows = 0;
  int64_t records = 0;
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;  // by the service or unreadable rows
};

absl::Status RunImport(const ImportOptions& options, ImportCounts* counts);

// One line per kind: name, service, what it is, and its columns.
std::string DescribeKinds(bool with_columns);

}  // namespace peel::peelctl
