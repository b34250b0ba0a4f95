#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "peel/workforce/v1/storage.pb.h"
#include "peel/workforce/v1/workforce.pb.h"

// The workforce service's maintained aggregates are counters whose changes
// are kept by day. Each person contributes a few points (day, cell, ±n):
// +1 when a state starts (joining, a new rank from a version's effective
// date, entering the under-2-years band...) and −1 when it ends, plus
// single +1 points for flows (a join, a leave). A profile as at day D is the
// prefix sum of every point on or before D; flows over (A, D] are
// prefix(D) − prefix(A). When a person changes (a new version, a
// screening), their contribution is recomputed from PersonState and only
// the difference is written, so a replaced record is never double counted.
namespace peel::workforce {

// What a counter cell counts. Levels (people in post in a state) and flows
// (events on a day) share one encoding; the profile knows which is which.
enum class Series : uint8_t {
  kHeadRank = 1,     // a = worker type, b = rank; count and FTE
  kHeadSex = 2,      // a = worker type, b = sex
  kHeadEthnic = 3,   // a = worker type, b = ethnic group
  kJoin = 4,         // flow; a = worker type
  kLeave = 5,        // flow; a = worker type, b = leaver type
  kUnder2Years = 6,  // a = worker type: in post, under 2 years' service
  kUnder5Years = 7,
  kUplift = 8,      // a = worker type: uplift-funded, in post
  kDetective = 9,   // a = worker type: detective accredited, in post
  kHighRisk = 10,   // a = worker type: in a high-risk role, in post
  kCovered6 = 11,   // high-risk and screened within 6 months (or new)
  kCovered18 = 12,  // high-risk and screened within 18 months (or new)
};

inline uint32_t Cell(Series s, int a, int b = 0) {
  return (static_cast<uint32_t>(s) << 16) | (static_cast<uint32_t>(a) << 8) |
         static_cast<uint32_t>(b);
}
inline Series CellSeries(uint32_t cell) {
  return static_cast<Series>(cell >> 16);
}
inline int CellA(uint32_t cell) { return static_cast<int>((cell >> 8) & 0xff); }
inline int CellB(uint32_t cell) { return static_cast<int>(cell & 0xff); }

inline constexpr int32_t kForever = std::numeric_limits<int32_t>::max();

struct Point {
  int32_t day;
  uint32_t cell;
  int64_t count;
  int64_t fte_e4;
};

struct Sum {
  int64_t count = 0;
  int64_t fte_e4 = 0;
};
using CounterSums = absl::flat_hash_map<uint32_t, Sum>;

int64_t FteE4(double fte);

// The day a version applies from: effective_date, or date_joined when empty.
// The record must have passed validation.
int32_t EffectiveDay(const v1::PersonRecord& r);

// Every point this person contributes. Versions must be sorted by effective
// day and valid; screening days ascending.
std::vector<Point> Contribution(const v1::storage::PersonState& state);

// new − old, merged by (day, cell), zero entries dropped.
std::vector<Point> Difference(const std::vector<Point>& old_points,
                              const std::vector<Point>& new_points);

}  // namespace peel::workforce
