#pragma once

#include <cstdlib>
#include <string>

namespace peel::testing {

// A server binary for an integration test: the environment variable `env`
// (e.g. PEEL_WORKFORCE_BIN) when set, else `built`, the path the build
// compiled in (a PEEL_..._BIN_PATH definition).
inline std::string ServerBin(const char* env, const char* built) {
  const char* v = std::getenv(env);
  return v != nullptr && *v != '\0' ? v : built;
}

}  // namespace peel::testing
