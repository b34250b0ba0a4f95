#include "services/workforce/day_counters.h"

#include <algorithm>
#include <utility>

#include "peel/workforce/v1/storage.pb.h"

namespace peel::workforce {

void AddToRow(Row* row, uint32_t cell, int64_t count, int64_t fte_e4) {
  auto it = std::lower_bound(
      row->begin(), row->end(), cell,
      [](const CellSum& c, uint32_t want) { return c.cell < want; });
  if (it == row->end() || it->cell != cell) {
    if (count == 0 && fte_e4 == 0) return;
    row->insert(it, CellSum{cell, Sum{count, fte_e4}});
    return;
  }
  it->sum.count += count;
  it->sum.fte_e4 += fte_e4;
  if (it->sum.count == 0 && it->sum.fte_e4 == 0) row->erase(it);
}

std::string SerializeRow(const Row& row) {
  v1::storage::Deltas d;
  d.mutable_cells()->Reserve(static_cast<int>(row.size()));
  for (const CellSum& c : row) {
    auto* out = d.add_cells();
    out->set_cell(c.cell);
    out->set_count(c.sum.count);
    out->set_fte_e4(c.sum.fte_e4);
  }
  return d.SerializeAsString();
}

bool ParseRow(absl::string_view bytes, Row* row) {
  v1::storage::Deltas d;
  if (!d.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return false;
  }
  row->clear();
  row->reserve(static_cast<size_t>(d.cells_size()));
  for (const auto& c : d.cells()) {
    AddToRow(row, c.cell(), c.count(), c.fte_e4());
  }
  return true;
}

std::vector<DayCounters::DayDelta> DayCounters::Merge(
    const absl::flat_hash_map<std::string, std::vector<Point>>& by_force) {
  std::vector<DayDelta> out;
  std::vector<const std::string*> forces;
  for (const auto& entry : by_force) forces.push_back(&entry.first);
  std::sort(forces.begin(), forces.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* force : forces) {
    std::vector<Point> points = by_force.at(*force);
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) {
      return a.day != b.day ? a.day < b.day : a.cell < b.cell;
    });
    for (size_t i = 0; i < points.size();) {
      const int32_t day = points[i].day;
      DayDelta d{*force, day, {}};
      for (; i < points.size() && points[i].day == day; ++i) {
        const Point& p = points[i];
        if (!d.delta.empty() && d.delta.back().cell == p.cell) {
          d.delta.back().sum.count += p.count;
          d.delta.back().sum.fte_e4 += p.fte_e4;
        } else {
          d.delta.push_back(CellSum{p.cell, Sum{p.count, p.fte_e4}});
        }
      }
      d.delta.erase(std::remove_if(d.delta.begin(), d.delta.end(),
                                   [](const CellSum& c) {
                                     return c.sum.count == 0 &&
                                            c.sum.fte_e4 == 0;
                                   }),
                    d.delta.end());
      if (!d.delta.empty()) out.push_back(std::move(d));
    }
  }
  return out;
}

void DayCounters::Install(const std::vector<DayDelta>& deltas) {
  absl::MutexLock lock(&mu_);
  for (const DayDelta& d : deltas) {
    ForceRows& f = forces_[d.force];
    Row& block = f.blocks[Block(d.day)];
    Row& row = f.days[d.day];
    for (const CellSum& c : d.delta) {
      AddToRow(&block, c.cell, c.sum.count, c.sum.fte_e4);
      AddToRow(&row, c.cell, c.sum.count, c.sum.fte_e4);
    }
    if (row.empty()) f.days.erase(d.day);
    f.dirty.insert(d.day);
  }
}

std::vector<DayCounters::DirtyRow> DayCounters::DirtyRows() const {
  std::vector<DirtyRow> out;
  absl::ReaderMutexLock lock(&mu_);
  std::vector<const std::string*> forces;
  for (const auto& entry : forces_) forces.push_back(&entry.first);
  std::sort(forces.begin(), forces.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* force : forces) {
    const ForceRows& f = forces_.at(*force);
    for (int32_t day : f.dirty) {
      auto row = f.days.find(day);
      out.push_back({*force, day, row == f.days.end() ? Row() : row->second});
    }
  }
  return out;
}

void DayCounters::ClearDirty() {
  absl::MutexLock lock(&mu_);
  for (auto& entry : forces_) entry.second.dirty.clear();
}

void DayCounters::Load(const std::string& force, int32_t day, Row row) {
  absl::MutexLock lock(&mu_);
  ForceRows& f = forces_[force];
  Row& block = f.blocks[Block(day)];
  for (const CellSum& c : row) {
    AddToRow(&block, c.cell, c.sum.count, c.sum.fte_e4);
  }
  f.days[day] = std::move(row);
}

CounterSums DayCounters::PrefixSum(const ForceRows& f, int32_t day) {
  CounterSums sums;
  auto add = [&](const Row& row) {
    for (const CellSum& c : row) {
      Sum& s = sums[c.cell];
      s.count += c.sum.count;
      s.fte_e4 += c.sum.fte_e4;
    }
  };
  const int32_t block = Block(day);
  for (auto it = f.blocks.begin(); it != f.blocks.end() && it->first < block;
       ++it) {
    add(it->second);
  }
  for (auto it = f.days.lower_bound(block * 64);
       it != f.days.end() && it->first <= day; ++it) {
    add(it->second);
  }
  return sums;
}

CounterSums DayCounters::SumTo(absl::string_view force, int32_t day) const {
  absl::ReaderMutexLock lock(&mu_);
  auto f = forces_.find(force);
  return f == forces_.end() ? CounterSums() : PrefixSum(f->second, day);
}

std::pair<CounterSums, CounterSums> DayCounters::SumToBoth(
    absl::string_view force, int32_t first, int32_t second) const {
  absl::ReaderMutexLock lock(&mu_);
  auto f = forces_.find(force);
  if (f == forces_.end()) return {};
  return {PrefixSum(f->second, first), PrefixSum(f->second, second)};
}

bool DayCounters::HasForce(absl::string_view force) const {
  absl::ReaderMutexLock lock(&mu_);
  return forces_.contains(force);
}

}  // namespace peel::workforce
