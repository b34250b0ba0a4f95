#pragma once

#include "absl/strings/string_view.h"

// A small logger: Abseil 20220623 has no absl/log. Lines go to stderr with a
// UTC timestamp and a level, one write per line so threads do not interleave.
namespace peel::log {

void Info(absl::string_view message);
void Warning(absl::string_view message);
void Error(absl::string_view message);

}  // namespace peel::log
