// Fuzz target: arbitrary text as a grading-policy file. The parser must
// refuse bad files with a message and never crash; a policy it accepts must
// grade any value without crashing.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "services/gateway/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto policy = peel::gateway::ParsePolicy(text, "fuzz.textproto");
  if (!policy.ok()) return 0;
  std::map<std::string, double> values;
  for (int area = 1; area <= 11; ++area) {
    (void)peel::gateway::GradeArea(
        *policy, static_cast<peel::gateway::v1::Area>(area), values);
  }
  return 0;
}
