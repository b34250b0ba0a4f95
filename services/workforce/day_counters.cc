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

namespace {

// The element for absolute index `index` of a range stored from `*first`,
// growing the range at either end.
template <typename T>
T& GrowTo(int32_t index, int32_t* first, std::vector<T>* items) {
  if (items->empty()) {
    *first = index;
    items->resize(1);
  } else if (index < *first) {
    items->insert(items->begin(), static_cast<size_t>(*first - index), T());
    *first = index;
  } else if (static_cast<size_t>(index - *first) >= items->size()) {
    items->resize(static_cast<size_t>(index - *first) + 1);
  }
  return (*items)[static_cast<size_t>(index - *first)];
}

}  // namespace

uint32_t DayCounters::SlotOf(uint32_t cell) {
  auto [it, inserted] =
      slot_of_.try_emplace(cell, static_cast<uint32_t>(cell_of_.size()));
  if (inserted) cell_of_.push_back(cell);
  return it->second;
}

void DayCounters::Add(ForceRows* f, int32_t day, const Row& cells) {
  const int32_t span_index = SpanOf(day);
  SpanRows& span = GrowTo(span_index, &f->first_span, &f->spans);
  if (span.days.empty()) span.days.resize(kDaysPerSpan);
  const int32_t offset = day - span_index * kDaysPerSpan;
  Row& row = span.days[static_cast<size_t>(offset)];
  for (const CellSum& c : cells) {
    const uint32_t slot = SlotOf(c.cell);
    AddToRow(&row, slot, c.sum.count, c.sum.fte_e4);
    if (span.sum.size() <= slot) span.sum.resize(cell_of_.size());
    span.sum[slot].count += c.sum.count;
    span.sum[slot].fte_e4 += c.sum.fte_e4;
  }
  span.dirty[static_cast<size_t>(offset / 64)] |= uint64_t{1} << (offset % 64);
}

void DayCounters::Install(const std::vector<DayDelta>& deltas) {
  absl::MutexLock lock(&mu_);
  for (const DayDelta& d : deltas) Add(&forces_[d.force], d.day, d.delta);
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
    for (size_t i = 0; i < f.spans.size(); ++i) {
      const SpanRows& span = f.spans[i];
      for (int32_t offset = 0; offset < kDaysPerSpan; ++offset) {
        if ((span.dirty[static_cast<size_t>(offset / 64)] >> (offset % 64) &
             1) == 0) {
          continue;
        }
        Row row;
        for (const CellSum& c : span.days[static_cast<size_t>(offset)]) {
          row.push_back(CellSum{cell_of_[c.cell], c.sum});
        }
        std::sort(
            row.begin(), row.end(),
            [](const CellSum& x, const CellSum& y) { return x.cell < y.cell; });
        const int32_t first_day =
            (f.first_span + static_cast<int32_t>(i)) * kDaysPerSpan;
        out.push_back({*force, first_day + offset, std::move(row)});
      }
    }
  }
  return out;
}

void DayCounters::ClearDirty() {
  absl::MutexLock lock(&mu_);
  for (auto& entry : forces_) {
    for (SpanRows& span : entry.second.spans) span.dirty.fill(0);
  }
}

void DayCounters::Load(const std::string& force, int32_t day, Row row) {
  absl::MutexLock lock(&mu_);
  ForceRows& f = forces_[force];
  Add(&f, day, row);
  // Loaded rows are already stored.
  const int32_t span_index = SpanOf(day);
  const int32_t offset = day - span_index * kDaysPerSpan;
  f.spans[static_cast<size_t>(span_index - f.first_span)]
      .dirty[static_cast<size_t>(offset / 64)] &=
      ~(uint64_t{1} << (offset % 64));
}

void DayCounters::AddRow(const Row& row, Dense* acc) {
  for (const CellSum& c : row) {
    Sum& s = (*acc)[c.cell];
    s.count += c.sum.count;
    s.fte_e4 += c.sum.fte_e4;
  }
}

CounterSums DayCounters::PrefixSum(const ForceRows& f, int32_t day) const {
  Dense acc(cell_of_.size());
  const int32_t span_index = SpanOf(day);
  const int32_t spans = static_cast<int32_t>(f.spans.size());
  for (int32_t i = 0; i < spans && f.first_span + i < span_index; ++i) {
    const Dense& d = f.spans[static_cast<size_t>(i)].sum;
    for (size_t slot = 0; slot < d.size(); ++slot) {
      acc[slot].count += d[slot].count;
      acc[slot].fte_e4 += d[slot].fte_e4;
    }
  }
  const int32_t i = span_index - f.first_span;
  if (i >= 0 && i < spans) {
    const SpanRows& span = f.spans[static_cast<size_t>(i)];
    const int32_t last = std::min(day - span_index * kDaysPerSpan,
                                  static_cast<int32_t>(span.days.size()) - 1);
    for (int32_t offset = 0; offset <= last; ++offset) {
      AddRow(span.days[static_cast<size_t>(offset)], &acc);
    }
  }
  CounterSums sums;
  sums.reserve(acc.size());
  for (size_t slot = 0; slot < acc.size(); ++slot) {
    if (acc[slot].count != 0 || acc[slot].fte_e4 != 0) {
      sums[cell_of_[slot]] = acc[slot];
    }
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
