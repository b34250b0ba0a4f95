#pragma once

#include <string>

#include "common/auth/message_fields.h"

namespace peel::auth {

// Authorisation and audit settings of one server (common/server/flags:
// --authz, --auth_token_key_file, --audit_log).
struct AuthOptions {
  bool authz = false;          // refuse calls the policy table does not allow
  std::string token_key_file;  // HMAC key for bearer tokens; empty: none
  std::string audit_log;       // file the write audit log is appended to
  ForceResolvers force_of_id;  // the service's id -> force lookups
  // TLS is on and --health_port adds a plaintext port for probes: calls
  // arriving without TLS may only ask grpc.health.v1.Health.
  bool plaintext_health_only = false;
  bool enabled() const {
    return authz || !audit_log.empty() || plaintext_health_only;
  }
};

}  // namespace peel::auth
