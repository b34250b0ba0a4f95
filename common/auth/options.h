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
  bool enabled() const { return authz || !audit_log.empty(); }
};

}  // namespace peel::auth
