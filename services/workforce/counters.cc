#include "services/workforce/counters.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/util/dates.h"

namespace peel::workforce {
namespace {

int32_t Day(const std::string& iso) {
  auto d = dates::ParseIsoDate(iso);
  return d.ok() ? *d : kForever;  // validated before it gets here
}

struct Segment {
  int32_t start;
  int32_t end;  // exclusive; kForever while open
  const v1::PersonRecord* record;
};

struct Emitter {
  std::vector<Point>* out;
  void Interval(uint32_t cell, int32_t start, int32_t end, int64_t fte_e4 = 0) {
    if (start >= end) return;
    out->push_back({start, cell, 1, fte_e4});
    if (end != kForever) out->push_back({end, cell, -1, -fte_e4});
  }
  void Event(uint32_t cell, int32_t day) { out->push_back({day, cell, 1, 0}); }
};

// Days on which a high-risk person counts as screened recently enough:
// [s, s + months] for each screening s, and the same grace from the start of
// each high-risk stretch (someone new to the role is not yet overdue).
std::vector<std::pair<int32_t, int32_t>> CoverWindows(
    const std::vector<int32_t>& screenings,
    const std::vector<int32_t>& stretch_starts, int months) {
  std::vector<std::pair<int32_t, int32_t>> w;
  for (int32_t s : screenings)
    w.push_back({s, dates::AddMonths(s, months) + 1});
  for (int32_t s : stretch_starts) {
    w.push_back({s, dates::AddMonths(s, months) + 1});
  }
  std::sort(w.begin(), w.end());
  std::vector<std::pair<int32_t, int32_t>> merged;
  for (const auto& x : w) {
    if (!merged.empty() && x.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, x.second);
    } else {
      merged.push_back(x);
    }
  }
  return merged;
}

}  // namespace

int64_t FteE4(double fte) { return std::llround(fte * 10000); }

int32_t EffectiveDay(const v1::PersonRecord& r) {
  return Day(r.effective_date().empty() ? r.date_joined() : r.effective_date());
}

std::vector<Point> Contribution(const v1::storage::PersonState& state) {
  std::vector<Point> out;
  const int n = state.versions_size();
  if (n == 0) return out;
  const v1::PersonRecord& latest = state.versions(n - 1);
  const int32_t joined = Day(latest.date_joined());
  const int32_t left =
      latest.date_left().empty() ? kForever : Day(latest.date_left());
  if (joined >= left) return out;

  std::vector<Segment> segments;
  for (int i = 0; i < n; ++i) {
    const int32_t start =
        i == 0 ? joined : std::max(joined, EffectiveDay(state.versions(i)));
    int32_t end = i + 1 < n ? EffectiveDay(state.versions(i + 1)) : kForever;
    end = std::min(end, left);
    if (start < end) segments.push_back({start, end, &state.versions(i)});
  }
  if (segments.empty()) return out;

  Emitter emit{&out};
  const int32_t under2_end = dates::AddMonths(joined, 24);
  const int32_t under5_end = dates::AddMonths(joined, 60);
  std::vector<Segment> high_risk;
  for (const Segment& s : segments) {
    const v1::PersonRecord& r = *s.record;
    const int type = r.worker_type();
    emit.Interval(Cell(Series::kHeadRank, type, r.rank()), s.start, s.end,
                  FteE4(r.fte()));
    emit.Interval(Cell(Series::kHeadSex, type, r.sex()), s.start, s.end);
    emit.Interval(Cell(Series::kHeadEthnic, type, r.ethnic_group()), s.start,
                  s.end);
    if (type == v1::POLICE_OFFICER) {  // experience is an officer measure
      emit.Interval(Cell(Series::kUnder2Years, type), s.start,
                    std::min(s.end, under2_end));
      emit.Interval(Cell(Series::kUnder5Years, type), s.start,
                    std::min(s.end, under5_end));
    }
    if (r.uplift_funded()) {
      emit.Interval(Cell(Series::kUplift, type), s.start, s.end);
    }
    if (r.detective_accredited()) {
      emit.Interval(Cell(Series::kDetective, type), s.start, s.end);
    }
    if (r.high_risk_role()) {
      emit.Interval(Cell(Series::kHighRisk, type), s.start, s.end);
      high_risk.push_back(s);
    }
  }
  emit.Event(Cell(Series::kJoin, segments.front().record->worker_type()),
             joined);
  if (left != kForever) {
    emit.Event(Cell(Series::kLeave, segments.back().record->worker_type(),
                    latest.leaver_type()),
               left);
  }

  if (!high_risk.empty()) {
    std::vector<int32_t> stretch_starts;
    for (size_t i = 0; i < high_risk.size(); ++i) {
      if (i == 0 || high_risk[i - 1].end != high_risk[i].start) {
        stretch_starts.push_back(high_risk[i].start);
      }
    }
    const std::vector<int32_t> screenings(state.screening_days().begin(),
                                          state.screening_days().end());
    for (auto [series, months] :
         {std::pair{Series::kCovered6, 6}, std::pair{Series::kCovered18, 18}}) {
      const auto windows = CoverWindows(screenings, stretch_starts, months);
      for (const Segment& s : high_risk) {
        for (const auto& w : windows) {
          emit.Interval(Cell(series, s.record->worker_type()),
                        std::max(s.start, w.first), std::min(s.end, w.second));
        }
      }
    }
  }
  return out;
}

std::vector<Point> Difference(const std::vector<Point>& old_points,
                              const std::vector<Point>& new_points) {
  std::vector<Point> all;
  all.reserve(old_points.size() + new_points.size());
  for (const Point& p : old_points) {
    all.push_back({p.day, p.cell, -p.count, -p.fte_e4});
  }
  all.insert(all.end(), new_points.begin(), new_points.end());
  std::sort(all.begin(), all.end(), [](const Point& a, const Point& b) {
    return a.day != b.day ? a.day < b.day : a.cell < b.cell;
  });
  std::vector<Point> out;
  for (const Point& p : all) {
    if (!out.empty() && out.back().day == p.day && out.back().cell == p.cell) {
      out.back().count += p.count;
      out.back().fte_e4 += p.fte_e4;
      if (out.back().count == 0 && out.back().fte_e4 == 0) out.pop_back();
    } else if (p.count != 0 || p.fte_e4 != 0) {
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace peel::workforce
