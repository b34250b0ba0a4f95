#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

// The write audit log: one JSON object per line, appended (O_APPEND) to a
// file in the data folder, for every write call or stream batch, allowed or
// refused:
//   {"time":"2026-11-28T10:00:00.123Z","caller":"O=PEEL, CN=force-analyst:kent",
//    "role":"force-analyst:kent","method":"/peel...Service/CreateAudit",
//    "forces":["kent"],"sequence":0,"ids":["kent-2021h2"],"code":"OK"}
// Never record contents: only ids, forces and the batch sequence.
namespace peel::auth {

struct AuditEntry {
  std::string caller;
  std::string role;  // "" when the caller has no valid role
  std::string method;
  std::set<std::string> forces;
  uint64_t sequence = 0;
  std::vector<std::string> ids;
  std::string code;  // gRPC status code name: OK, PERMISSION_DENIED, ...
};

class AuditLog {
 public:
  // Opens (creating, mode 0600) `path` for appending.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();

  void Append(const AuditEntry& entry);

  // The JSON line (without the newline) of `entry` at the current time.
  static std::string Format(const AuditEntry& entry);

 private:
  explicit AuditLog(int fd) : fd_(fd) {}
  absl::Mutex mu_;
  int fd_;
};

}  // namespace peel::auth
