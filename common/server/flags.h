#pragma once

#include <string>

#include "absl/flags/declare.h"
#include "common/store/store.h"

// The flags every server binary shares. Read them once in main.cc; they can
// also come from the environment with --tryfromenv=port,data_dir,...
// (absl reads FLAGS_port, FLAGS_data_dir, ...).
ABSL_DECLARE_FLAG(int, port);
ABSL_DECLARE_FLAG(std::string, port_file);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, listen_host);
ABSL_DECLARE_FLAG(int, block_cache_mb);
ABSL_DECLARE_FLAG(bool, sync_wal);
ABSL_DECLARE_FLAG(int, max_message_mb);
ABSL_DECLARE_FLAG(int, drain_seconds);
ABSL_DECLARE_FLAG(int, metrics_port);
ABSL_DECLARE_FLAG(bool, reflection);
// Transport security (common/server/tls.h): none set serves plaintext.
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(int, health_port);
// Authorisation and the write audit log (common/auth, docs/SECURITY.md).
ABSL_DECLARE_FLAG(bool, authz);
ABSL_DECLARE_FLAG(std::string, auth_token_key_file);
ABSL_DECLARE_FLAG(std::string, audit_log);

namespace peel::server {

// The store options the common flags set: --data_dir, --block_cache_mb,
// --sync_wal. A service sets its own beside them.
store::StoreOptions StoreOptionsFromFlags();

}  // namespace peel::server
