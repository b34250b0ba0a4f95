#pragma once

#include <cstdlib>
#include <string>

// Paths of the binaries and policy the gateway's integration tests run:
// compiled in by CMake, overridden by an environment variable of the same
// name without _PATH (e.g. PEEL_GATEWAY_BIN).
namespace peel::gateway::testing {

inline std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v != nullptr) return v;
  const std::string n = name;
  if (n == "PEEL_CRIME_RECORDING_BIN") return PEEL_CRIME_RECORDING_BIN_PATH;
  if (n == "PEEL_GATEWAY_BIN") return PEEL_GATEWAY_BIN_PATH;
  if (n == "PEEL_GATEWAY_POLICY") return PEEL_GATEWAY_POLICY_PATH;
  if (n == "PEEL_VICTIM_SERVICE_BIN") return PEEL_VICTIM_SERVICE_BIN_PATH;
  if (n == "PEEL_SOC_DISRUPTIONS_BIN") return PEEL_SOC_DISRUPTIONS_BIN_PATH;
  if (n == "PEEL_WORKFORCE_BIN") return PEEL_WORKFORCE_BIN_PATH;
  return "";
}

}  // namespace peel::gateway::testing
