#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace peel::peelctl {

// Progress of a long import on stderr: a redrawn bar with rate and ETA on a
// terminal, a plain line every few seconds otherwise.
class Progress {
 public:
  Progress(std::string label, int64_t total_bytes, bool quiet);
  void Update(int64_t bytes_done, int64_t rows);
  void Done(int64_t rows);

 private:
  std::string label_;
  int64_t total_;
  bool quiet_;
  bool tty_;
  absl::Time start_;
  absl::Time last_;
};

}  // namespace peel::peelctl
