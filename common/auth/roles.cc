#include "common/auth/roles.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/reference/forces.h"

namespace peel::auth {

absl::StatusOr<Identity> ParseRole(absl::string_view text) {
  Identity id;
  constexpr absl::string_view kAnalyst = "force-analyst:";
  if (text == "inspector") {
    id.role = Role::kInspector;
  } else if (text == "reader") {
    id.role = Role::kReader;
  } else if (text == "operator") {
    id.role = Role::kOperator;
  } else if (text == "gateway") {
    id.role = Role::kGateway;
  } else if (absl::StartsWith(text, kAnalyst)) {
    const absl::string_view force = text.substr(kAnalyst.size());
    if (reference::FindForce(force) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("role '", text, "' names an unknown force"));
    }
    id.role = Role::kForceAnalyst;
    id.force = std::string(force);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown role '", text,
        "' (inspector, force-analyst:<force>, reader, operator, gateway)"));
  }
  return id;
}

std::string RoleText(const Identity& identity) {
  switch (identity.role) {
    case Role::kInspector:
      return "inspector";
    case Role::kForceAnalyst:
      return absl::StrCat("force-analyst:", identity.force);
    case Role::kReader:
      return "reader";
    case Role::kOperator:
      return "operator";
    case Role::kGateway:
      return "gateway";
  }
  return "";
}

}  // namespace peel::auth
