#include "tools/bench/pg.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tools/bench/harness.h"

namespace peel::bench {
namespace {

int Run(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

std::string FindBindir() {
  for (const char* d :
       {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"}) {
    if (std::filesystem::exists(std::string(d) + "/initdb")) return d;
  }
  return "";  // rely on PATH
}

// The running cluster, stopped by Fail() so that no server outlives a
// failed benchmark.
PgCluster* active = nullptr;

}  // namespace

absl::StatusOr<std::unique_ptr<PgCluster>> PgCluster::Start() {
  auto c = std::unique_ptr<PgCluster>(new PgCluster());
  char tmpl[] = "/tmp/peel-bench-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  c->dir_ = tmpl;
  c->bindir_ = FindBindir();
  const std::string bin = c->bindir_.empty() ? "" : c->bindir_ + "/";
  if (geteuid() == 0) {
    c->run_as_ = "runuser -u postgres -- ";
    Run("chown postgres " + c->dir_);
  }
  const std::string data = c->dir_ + "/data";
  if (Run(c->run_as_ + bin + "initdb -D " + data +
          " -A trust -U bench --no-sync -E UTF8 --locale=C >" + c->dir_ +
          "/initdb.log 2>&1") != 0) {
    return absl::InternalError("initdb failed; see " + c->dir_ + "/initdb.log");
  }
  const std::string opts =
      "-k " + c->dir_ +
      " -c listen_addresses='' -p 5432 -c synchronous_commit=off"
      " -c shared_buffers=256MB -c max_wal_size=8GB -c work_mem=64MB"
      " -c maintenance_work_mem=256MB";
  if (Run(c->run_as_ + bin + "pg_ctl -D " + data + " -l " + c->dir_ +
          "/server.log -w -o \"" + opts + "\" start >/dev/null") != 0) {
    return absl::InternalError("pg_ctl start failed; see " + c->dir_ +
                               "/server.log");
  }
  active = c.get();
  SetFailCleanup([] {
    if (active != nullptr) active->Stop();
  });
  return c;
}

PgCluster::~PgCluster() { Stop(); }

void PgCluster::Stop() {
  if (active == this) {
    active = nullptr;
    SetFailCleanup(nullptr);
  }
  if (dir_.empty()) return;
  const std::string bin = bindir_.empty() ? "" : bindir_ + "/";
  Run(run_as_ + bin + "pg_ctl -D " + dir_ + "/data -m fast -w stop >/dev/null");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

std::string PgCluster::conninfo() const {
  return "host=" + dir_ + " port=5432 user=bench dbname=postgres";
}

absl::StatusOr<std::unique_ptr<PgConn>> PgConn::Connect(
    const std::string& conninfo) {
  auto c = std::unique_ptr<PgConn>(new PgConn());
  c->conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(c->conn_) != CONNECTION_OK) {
    return absl::UnavailableError(PQerrorMessage(c->conn_));
  }
  return c;
}

PgConn::~PgConn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void PgConn::Exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Fail(absl::StrCat("postgres: ", PQresultErrorMessage(r), " in: ", sql));
  }
  PQclear(r);
}

void PgConn::Copy(
    const std::string& copy_sql, int64_t from, int64_t to,
    const std::function<void(int64_t, int64_t, std::string*)>& rows,
    int64_t chunk) {
  std::string buf;
  int64_t next = from;
  CopyFrom(copy_sql, [&](std::string* out) {
    if (next >= to) return false;
    out->clear();
    rows(next, std::min(chunk, to - next), out);
    next += chunk;
    return true;
  });
}

void PgConn::CopyChunks(const std::string& copy_sql,
                        const std::vector<std::string>& chunks) {
  size_t next = 0;
  const std::string* cur = nullptr;
  CopyFrom(copy_sql, [&](std::string* out) {
    if (next >= chunks.size()) return false;
    cur = &chunks[next++];
    out->assign(*cur);
    return true;
  });
}

void PgConn::CopyFrom(const std::string& copy_sql,
                      const std::function<bool(std::string*)>& next) {
  PGresult* r = PQexec(conn_, copy_sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    Fail(absl::StrCat("postgres COPY: ", PQresultErrorMessage(r)));
  }
  PQclear(r);
  std::string buf;
  while (next(&buf)) {
    if (PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) {
      Fail(absl::StrCat("postgres COPY data: ", PQerrorMessage(conn_)));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    Fail(absl::StrCat("postgres COPY end: ", PQerrorMessage(conn_)));
  }
  r = PQgetResult(conn_);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    Fail(absl::StrCat("postgres COPY: ", PQresultErrorMessage(r)));
  }
  PQclear(r);
  while ((r = PQgetResult(conn_)) != nullptr) PQclear(r);
}

double PgConn::TimeQuery(const std::string& sql, int* rows) {
  const auto t0 = Clock::now();
  PGresult* r = PQexec(conn_, sql.c_str());
  const double secs = SecondsSince(t0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    Fail(absl::StrCat("postgres: ", PQresultErrorMessage(r), " in: ", sql));
  }
  if (rows != nullptr) *rows = PQntuples(r);
  PQclear(r);
  return secs;
}

}  // namespace peel::bench
