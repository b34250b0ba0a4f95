#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/roles.h"

// The per-method policy table: which roles may call each method of each
// service, and which calls are writes (audited). A method not in the table
// is refused to everyone when authorisation is on.
namespace peel::auth {

enum class Access {
  kStoreWrite,       // force-analyst of the record's force
  kStoreRead,        // inspector, gateway; force-analyst of the force
  kStoreNational,    // inspector, gateway (every force at once)
  kPublishedForce,   // reader, inspector; force-analyst of the force
  kPublishedAll,     // reader, inspector (national comparisons, catalogue)
  kJudgmentWrite,    // inspector
  kHealth,           // operator, inspector, gateway
  kAdmin,            // operator, inspector (store checkpoints for backups)
  kAnyCaller,        // every authenticated role (reflection)
};

struct MethodRule {
  Access access;
  // The call names forces the force-analyst check applies to.
  bool force_scoped() const {
    return access == Access::kStoreWrite || access == Access::kStoreRead ||
           access == Access::kPublishedForce;
  }
  bool write() const {
    return access == Access::kStoreWrite || access == Access::kJudgmentWrite;
  }
};

// The rule of a full method name ("/peel.gateway.v1.AssessmentGateway/
// ListMetrics"); null when the method is not in the table.
const MethodRule* RuleFor(absl::string_view method);

// Whether `identity`'s role may call a method with `rule` at all (before
// looking at forces).
bool RoleAllowed(const Identity& identity, const MethodRule& rule);

// For a force-scoped call by a force-analyst: OK when `forces` (every force
// the request names or refers to) is non-empty and only the analyst's own;
// PermissionDenied naming the method otherwise. OK for other roles.
absl::Status CheckForces(const Identity& identity, absl::string_view method,
                         const MethodRule& rule,
                         const std::set<std::string>& forces);

}  // namespace peel::auth
