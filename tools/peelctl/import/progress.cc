#include "tools/peelctl/import/progress.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace peel::peelctl {

Progress::Progress(std::string label, int64_t total_bytes, bool quiet)
    : label_(std::move(label)),
      total_(total_bytes),
      quiet_(quiet),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(absl::Now()),
      last_(absl::Now()) {}

void Progress::Update(int64_t done, int64_t rows) {
  if (quiet_) return;
  const absl::Time now = absl::Now();
  if (now - last_ < (tty_ ? absl::Milliseconds(200) : absl::Seconds(5))) {
    return;
  }
  last_ = now;
  const double secs = absl::ToDoubleSeconds(now - start_);
  const double rate = secs > 0 ? rows / secs : 0;
  const double frac = total_ > 0 ? static_cast<double>(done) / total_ : 0;
  const double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
  if (tty_) {
    const int width = 30, filled = static_cast<int>(frac * width);
    std::string bar(filled, '=');
    if (filled < width) bar += '>';
    bar.resize(width, ' ');
    std::fprintf(stderr, "\r%s [%s] %3.0f%% %lld rows %.0f rows/s ETA %.0fs ",
                 label_.c_str(), bar.c_str(), frac * 100,
                 static_cast<long long>(rows), rate, eta);
  } else {
    std::fprintf(stderr, "%s: %.0f%%, %lld rows, %.0f rows/s, ETA %.0fs\n",
                 label_.c_str(), frac * 100, static_cast<long long>(rows), rate,
                 eta);
  }
  std::fflush(stderr);
}

void Progress::Done(int64_t rows) {
  if (quiet_) return;
  const double secs = absl::ToDoubleSeconds(absl::Now() - start_);
  if (tty_) std::fprintf(stderr, "\r%*s\r", 90, "");
  std::fprintf(stderr, "%s: %lld rows in %.2f s (%.0f rows/s)\n",
               label_.c_str(), static_cast<long long>(rows), secs,
               secs > 0 ? rows / secs : 0.0);
}

}  // namespace peel::peelctl
