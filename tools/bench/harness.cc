#include "tools/bench/harness.h"

#include <signal.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "absl/strings/str_format.h"

namespace peel::bench {

void Result(absl::string_view subject, absl::string_view figure, double value) {
  std::cout << absl::StrFormat("RESULT %s %s %.6g\n", subject, figure, value)
            << std::flush;
}

namespace {
void (*fail_cleanup)() = nullptr;
std::set<int>* tracked = new std::set<int>();  // servers; main thread only
}  // namespace

void TrackServer(int pid) { tracked->insert(pid); }
void UntrackServer(int pid) { tracked->erase(pid); }

void SetFailCleanup(void (*cleanup)()) { fail_cleanup = cleanup; }

void Fail(absl::string_view what) {
  std::cerr << "bench: " << what << "\n";
  if (fail_cleanup != nullptr) {
    auto cleanup = fail_cleanup;
    fail_cleanup = nullptr;
    cleanup();
  }
  for (int pid : *tracked) ::kill(pid, SIGKILL);
  std::exit(1);
}

Latency Measure(int calls, const std::function<void()>& call) {
  std::vector<double> us;
  us.reserve(calls);
  const auto start = Clock::now();
  for (int i = 0; i < calls; ++i) {
    const auto t0 = Clock::now();
    call();
    us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  const double total = SecondsSince(start);
  std::sort(us.begin(), us.end());
  Latency l;
  l.p50_us = us[us.size() / 2];
  l.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  l.calls_per_s = calls / total;
  return l;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double ResidentMib(int pid, absl::string_view field) {
  std::ifstream st("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(st, line)) {
    if (line.rfind(prefix, 0) == 0) {
      std::istringstream in(line.substr(prefix.size()));
      double kib = 0;
      in >> kib;
      return kib / 1024.0;
    }
  }
  return 0;
}

}  // namespace peel::bench
