#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Who is calling and as what. A role is carried by the verified client
// certificate's subject CN or by a bearer token's `role` claim:
//   inspector                 reads everything, records judgments
//   force-analyst:<force>     writes and reads only its own force's data
//   reader                    reads published assessments only (gateway)
//   operator                  reads health
//   gateway                   the gateway's own identity towards the store
//                             services: reads everything there, writes
//                             nothing
namespace peel::auth {

enum class Role { kInspector, kForceAnalyst, kReader, kOperator, kGateway };

struct Identity {
  std::string caller;  // certificate subject or token subject, for the log
  Role role = Role::kReader;
  std::string force;  // police.uk slug, force-analyst only
};

// "inspector", "force-analyst:kent", ... InvalidArgument for an unknown
// role or force.
absl::StatusOr<Identity> ParseRole(absl::string_view text);

// The role as written ("force-analyst:kent").
std::string RoleText(const Identity& identity);

}  // namespace peel::auth
