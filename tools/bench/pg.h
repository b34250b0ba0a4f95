#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

typedef struct pg_conn PGconn;

// A throwaway PostgreSQL 15 cluster for the comparison: initdb into a temp
// folder, pg_ctl start listening only on a Unix socket in that folder, and
// on destruction pg_ctl stop and the folder removed. As root (initdb
// refuses root) the server runs as the unprivileged `postgres` user via
// runuser. Settings: synchronous_commit=off (our services acknowledge once
// a write is in the WAL without fsync: sync_writes=false), shared_buffers
// 256MB, max_wal_size 8GB (no checkpoint in the middle of a COPY).
namespace peel::bench {

class PgCluster {
 public:
  static absl::StatusOr<std::unique_ptr<PgCluster>> Start();
  ~PgCluster();
  std::string conninfo() const;
  // pg_ctl stop and remove the folder (once; the destructor calls it).
  void Stop();

 private:
  PgCluster() = default;
  std::string dir_;
  std::string run_as_;  // "" when not root
  std::string bindir_;
};

class PgConn {
 public:
  static absl::StatusOr<std::unique_ptr<PgConn>> Connect(
      const std::string& conninfo);
  ~PgConn();
  // Runs statements; exits on error (a benchmark has nothing to recover).
  void Exec(const std::string& sql);
  // COPY ... FROM STDIN: rows(first, count, &buffer) appends CSV lines of
  // records [first, first+count); sent in chunks of `chunk` records.
  void Copy(const std::string& copy_sql, int64_t from, int64_t to,
            const std::function<void(int64_t, int64_t, std::string*)>& rows,
            int64_t chunk = 10000);
  // The same with the CSV made in advance (so only the load is timed).
  void CopyChunks(const std::string& copy_sql,
                  const std::vector<std::string>& chunks);
  // Runs a query, fetching every row; returns seconds.
  double TimeQuery(const std::string& sql, int* rows = nullptr);

 private:
  PgConn() = default;
  void CopyFrom(const std::string& copy_sql,
                const std::function<bool(std::string*)>& next);
  PGconn* conn_ = nullptr;
};

}  // namespace peel::bench
