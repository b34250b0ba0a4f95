#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"

// One store service as the suite benchmarks it: its records (as gRPC
// batches, as the key/value it stores, and as CSV rows for PostgreSQL), its
// summary calls, and the same summaries in SQL. Record i is a pure function
// of i, so every system gets exactly the same records.
namespace peel::bench {

struct Summary {
  std::string name;            // the RPC and what it summarises
  std::function<void()> call;  // one gRPC call; exits on error
  std::string sql;             // the equivalent PostgreSQL query
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;         // e.g. "victim-service"
  virtual std::string health_name() const = 0;  // full gRPC service name
  virtual std::string record_kind() const = 0;  // e.g. "call records"
  // Points the workload at a server (the service, or a no-op stand-in).
  virtual void Connect(std::shared_ptr<grpc::Channel> channel) = 0;
  // Reference data the records need (an audit, ...), once per fresh store.
  virtual void Setup() {}
  // Streams records [from, to); seconds taken.
  virtual double Ingest(int64_t from, int64_t to, int streams, int batch,
                        bool pregenerate) = 0;
  virtual std::vector<Summary> Summaries() = 0;
  // Record i as the service stores it (key, serialized value): the raw
  // RocksDB ceiling writes these.
  virtual void KeyValue(int64_t i, std::string* key,
                        std::string* value) const = 0;
  // PostgreSQL: the table (with the natural primary key) and records
  // [first, first+count) appended to `out` as its CSV lines.
  virtual std::string PgTable() const = 0;
  virtual std::string PgSchema() const = 0;
  virtual void PgRows(int64_t first, int64_t count, std::string* out) const = 0;
};

std::unique_ptr<Workload> MakeCrimeRecordingWorkload();
std::unique_ptr<Workload> MakeVictimServiceWorkload();
std::unique_ptr<Workload> MakeWorkforceWorkload();
std::unique_ptr<Workload> MakeSocDisruptionsWorkload();

}  // namespace peel::bench
