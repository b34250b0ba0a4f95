#include "services/soc-disruptions/tally.h"

#include <algorithm>

namespace peel::soc {

namespace {

void UpdateDays(int64_t before, int32_t first, int32_t last, Counts* c) {
  if (before == 0) {
    c->first_day = first;
    c->last_day = last;
  } else {
    c->first_day = std::min(c->first_day, first);
    c->last_day = std::max(c->last_day, last);
  }
}

template <size_t N>
void CopyIn(const google::protobuf::RepeatedField<int64_t>& from,
            std::array<int64_t, N>* to) {
  const size_t n = std::min<size_t>(N, static_cast<size_t>(from.size()));
  for (size_t i = 0; i < n; ++i) (*to)[i] = from.Get(static_cast<int>(i));
}

template <size_t N>
void CopyOut(const std::array<int64_t, N>& from,
             google::protobuf::RepeatedField<int64_t>* to) {
  to->Reserve(static_cast<int>(N));
  for (int64_t v : from) to->Add(v);
}

}  // namespace

void Counts::Add(const v1::Disruption& d, int32_t day) {
  UpdateDays(disruptions, day, day, this);
  ++disruptions;
  ++by_pillar[d.pillar()];
  ++by_magnitude[d.magnitude()];
  ++by_tactic[d.tactic()];
  arrests += d.arrests();
  charges += d.charges();
  people_safeguarded += d.people_safeguarded();
  cash_pence += d.seizures().cash_pence();
  drugs_grams += d.seizures().drugs_grams();
  firearms += d.seizures().firearms();
  vehicles += d.seizures().vehicles();
  deal_lines_closed += d.deal_lines_closed();
  if (d.group_id().empty()) ++against_individuals;
}

void Counts::Merge(const Counts& o) {
  if (o.disruptions == 0) return;
  UpdateDays(disruptions, o.first_day, o.last_day, this);
  disruptions += o.disruptions;
  for (size_t i = 0; i < by_pillar.size(); ++i) by_pillar[i] += o.by_pillar[i];
  for (size_t i = 0; i < by_magnitude.size(); ++i) {
    by_magnitude[i] += o.by_magnitude[i];
  }
  for (size_t i = 0; i < by_tactic.size(); ++i) by_tactic[i] += o.by_tactic[i];
  arrests += o.arrests;
  charges += o.charges;
  people_safeguarded += o.people_safeguarded;
  cash_pence += o.cash_pence;
  drugs_grams += o.drugs_grams;
  firearms += o.firearms;
  vehicles += o.vehicles;
  deal_lines_closed += o.deal_lines_closed;
  against_individuals += o.against_individuals;
}

Counts Counts::FromTally(const v1::storage::DisruptionTally& t) {
  Counts c;
  c.disruptions = t.disruptions();
  CopyIn(t.by_pillar(), &c.by_pillar);
  CopyIn(t.by_magnitude(), &c.by_magnitude);
  CopyIn(t.by_tactic(), &c.by_tactic);
  c.arrests = t.arrests();
  c.charges = t.charges();
  c.people_safeguarded = t.people_safeguarded();
  c.cash_pence = t.cash_pence();
  c.drugs_grams = t.drugs_grams();
  c.firearms = t.firearms();
  c.vehicles = t.vehicles();
  c.deal_lines_closed = t.deal_lines_closed();
  c.against_individuals = t.against_individuals();
  c.first_day = t.first_day();
  c.last_day = t.last_day();
  return c;
}

v1::storage::DisruptionTally Counts::ToTally() const {
  v1::storage::DisruptionTally t;
  t.set_disruptions(disruptions);
  CopyOut(by_pillar, t.mutable_by_pillar());
  CopyOut(by_magnitude, t.mutable_by_magnitude());
  CopyOut(by_tactic, t.mutable_by_tactic());
  t.set_arrests(arrests);
  t.set_charges(charges);
  t.set_people_safeguarded(people_safeguarded);
  t.set_cash_pence(cash_pence);
  t.set_drugs_grams(drugs_grams);
  t.set_firearms(firearms);
  t.set_vehicles(vehicles);
  t.set_deal_lines_closed(deal_lines_closed);
  t.set_against_individuals(against_individuals);
  t.set_first_day(first_day);
  t.set_last_day(last_day);
  return t;
}

}  // namespace peel::soc
