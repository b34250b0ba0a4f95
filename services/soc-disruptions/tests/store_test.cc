// SocStore directly (no gRPC): the aggregates kept by journal and
// checkpoints, checked against values worked out by hand, as stored in
// RocksDB and after a reopen (the journal replayed); and two writers sending
// the same records at once.
#include "services/soc-disruptions/store.h"

#include <array>
#include <map>
#include <thread>

#include "absl/strings/str_format.h"
#include "common/store/keys.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "gtest/gtest.h"
#include "services/soc-disruptions/validate.h"

namespace peel::soc {
namespace {

int32_t Day(const char* iso) { return *dates::ParseIsoDate(iso); }

SocStore::TodayFn Today() {
  return [] { return Day("2022-06-30"); };
}

store::StoreOptions OptionsAt(const std::string& path) {
  store::StoreOptions o;
  o.path = path;
  return o;
}

v1::OrganisedCrimeGroup Group(const std::string& id, bool plan) {
  v1::OrganisedCrimeGroup g;
  g.set_group_id(id);
  g.set_force("kent");
  g.add_threat_areas(v1::DRUGS_SUPPLY);
  g.set_threat_score(120);
  g.set_threat_band(v1::THREAT_BAND_MEDIUM);
  g.set_lead_responsible_officer_role("detective inspector");
  g.set_has_4p_plan(plan);
  g.set_status(v1::ACTIVE);
  g.set_active_from("2020-01-01");
  return g;
}

v1::Disruption Disruption(const std::string& id, const std::string& group,
                          const std::string& date, v1::Pillar pillar,
                          int arrests, int64_t cash,
                          const std::string& operation = "") {
  v1::Disruption d;
  d.set_disruption_id(id);
  d.set_force("kent");
  d.set_group_id(group);
  d.set_date(date);
  d.set_pillar(pillar);
  d.set_magnitude(v1::MODERATE);
  d.set_tactic(v1::ARREST);
  d.set_arrests(arrests);
  d.mutable_seizures()->set_cash_pence(cash);
  d.set_operation(operation);
  return d;
}

v1::DisruptionBatch Batch(int64_t sequence,
                          std::vector<v1::Disruption> disruptions) {
  v1::DisruptionBatch b;
  b.set_sequence(sequence);
  for (auto& d : disruptions) *b.add_disruptions() = std::move(d);
  return b;
}

struct GroupFigures {
  std::vector<int32_t> months;
  int64_t disruptions = 0;
  bool plan = false;
};

GroupFigures StateOf(const SocStore& store, const std::string& id) {
  GroupFigures out;
  EXPECT_TRUE(
      store
          .VisitGroupStates(
              "kent",
              [&](absl::string_view group, const v1::storage::GroupState& s) {
                if (group != id) return;
                out.months.assign(s.months().begin(), s.months().end());
                out.disruptions = s.disruptions();
                out.plan = s.has_4p_plan();
              })
          .ok());
  return out;
}

// What RocksDB holds in the aggregates column family, read with the
// SocStore closed.
struct Stored {
  int journal_entries = 0;
  int history_entries = 0;
  std::map<std::string, v1::storage::DisruptionTally> tallies;
  std::map<std::string, v1::storage::GroupState> states;
};

Stored ReadStored(const std::string& path) {
  store::StoreOptions o = OptionsAt(path);
  o.column_families = {"groups", "disruptions", "aggregates"};
  auto s = store::Store::Open(o);
  EXPECT_TRUE(s.ok()) << s.status();
  Stored out;
  EXPECT_TRUE((*s)->Scan(SocStore::kAggregates, "", "",
                         [&](absl::string_view key, absl::string_view value) {
                           if (key[0] == 'J') {
                             ++out.journal_entries;
                           } else if (key[0] == 'F') {
                             out.states[std::string(key)].ParseFromArray(
                                 value.data(), static_cast<int>(value.size()));
                           } else {
                             out.tallies[std::string(key)].ParseFromArray(
                                 value.data(), static_cast<int>(value.size()));
                           }
                           return true;
                         })
                  .ok());
  // History chunks: each entry a day (I32) and an id ending in '\0'.
  EXPECT_TRUE((*s)->ScanPrefix(SocStore::kDisruptions, "H",
                               [&](absl::string_view, absl::string_view value) {
                                 while (value.size() > sizeof(int32_t)) {
                                   const size_t end =
                                       value.find('\0', sizeof(int32_t));
                                   if (end == absl::string_view::npos) break;
                                   ++out.history_entries;
                                   value.remove_prefix(end + 1);
                                 }
                                 EXPECT_TRUE(value.empty())
                                     << "a malformed chunk";
                                 return true;
                               })
                  .ok());
  return out;
}

std::vector<std::string> HistoryIds(const SocStore& store,
                                    const std::string& group) {
  auto history = store.GroupHistory(group);
  EXPECT_TRUE(history.ok()) << history.status();
  std::vector<std::string> ids;
  if (history.ok()) {
    for (const auto& d : *history) ids.push_back(d.disruption_id());
  }
  return ids;
}

std::string MonthKey(int32_t month) {
  return store::KeyBuilder('M').Id("kent").I32(month).Take();
}
std::string StateKey(const std::string& group) {
  return store::KeyBuilder('F').Id("kent").Id(group).Take();
}

constexpr int32_t kJuly = 2021 * 12 + 6;  // month indexes
constexpr int32_t kAugust = 2021 * 12 + 7;
constexpr int32_t kOctober = 2021 * 12 + 9;

// Six disruptions in three batches, a checkpoint after four records: the
// figures, worked out by hand, whether counted from the journal, from a
// checkpoint or from both, live and after reopening.
TEST(SocStoreAggregates, JournalAndCheckpointsAddUpToTheRecords) {
  peel::testing::TempDir dir("soc-store-test");
  const std::string path = dir.Sub("data");
  AggregateCheckpoints every_four;
  every_four.records = 4;
  auto store = SocStore::Open(OptionsAt(path), Today(), every_four);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->RegisterGroup(Group("kent-g1", true)).ok());
  const uint64_t v0 = (*store)->DataVersion();

  // Batch 1, three records (journal: 3 < 4).
  auto ack = (*store)->ApplyDisruptions(Batch(
      1, {Disruption("d1", "kent-g1", "2021-07-05", v1::PURSUE, 2, 100),
          Disruption("d2", "kent-g1", "2021-08-10", v1::PROTECT, 1, 50, "op-a"),
          Disruption("d3", "", "2021-07-20", v1::PURSUE, 0, 0)}));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->accepted(), 3);
  const uint64_t v1 = (*store)->DataVersion();
  EXPECT_GT(v1, v0);
  // Batch 2, two records (3 + 2 >= 4: a checkpoint of batches 1 and 2).
  ack = (*store)->ApplyDisruptions(Batch(
      2,
      {Disruption("d4", "kent-g1", "2021-07-31", v1::PREVENT, 3, 0),
       Disruption("d5", "kent-g1", "2021-10-01", v1::PURSUE, 0, 25, "op-a")}));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->accepted(), 2);
  // Batch 3: one record (journal), and one repeat of batch 1's.
  ack = (*store)->ApplyDisruptions(Batch(
      3, {Disruption("d6", "kent-g1", "2021-07-02", v1::PURSUE, 1, 0),
          Disruption("d1", "kent-g1", "2021-07-05", v1::PURSUE, 2, 100)}));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->accepted(), 1);
  EXPECT_EQ(ack->duplicates(), 1);
  const uint64_t v3 = (*store)->DataVersion();
  // A batch of repeats only changes nothing, not even the version.
  ack = (*store)->ApplyDisruptions(Batch(
      4,
      {Disruption("d2", "kent-g1", "2021-08-10", v1::PROTECT, 1, 50, "op-a")}));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->duplicates(), 1);
  EXPECT_EQ((*store)->DataVersion(), v3);

  // By hand. July: d1, d3, d4, d6 (pursue d1 d3 d6, prevent d4; arrests
  // 2 + 0 + 3 + 1; cash 100; d3 against an individual; days 2nd to 31st).
  // August: d2. October: d5. op-a: d2 and d5. kent-g1: d1 d2 d4 d5 d6.
  auto expect_figures = [&](const SocStore& s) {
    auto july = s.SumMonths("kent", kJuly, 1);
    ASSERT_TRUE(july.ok());
    EXPECT_EQ(july->disruptions, 4);
    EXPECT_EQ(july->by_pillar[v1::PURSUE], 3);
    EXPECT_EQ(july->by_pillar[v1::PREVENT], 1);
    EXPECT_EQ(july->arrests, 6);
    EXPECT_EQ(july->cash_pence, 100);
    EXPECT_EQ(july->against_individuals, 1);
    EXPECT_EQ(july->first_day, Day("2021-07-02"));
    EXPECT_EQ(july->last_day, Day("2021-07-31"));
    auto year = s.SumMonths("kent", kJuly, 12);
    ASSERT_TRUE(year.ok());
    EXPECT_EQ(year->disruptions, 6);
    EXPECT_EQ(year->arrests, 7);
    EXPECT_EQ(year->cash_pence, 175);
    EXPECT_EQ(year->by_pillar[v1::PROTECT], 1);
    EXPECT_EQ(year->last_day, Day("2021-10-01"));
    auto op = s.OperationCounts("kent", "op-a");
    ASSERT_TRUE(op.ok());
    EXPECT_EQ(op->disruptions, 2);
    EXPECT_EQ(op->arrests, 1);
    EXPECT_EQ(op->cash_pence, 75);
    const GroupFigures g = StateOf(s, "kent-g1");
    EXPECT_EQ(g.months, (std::vector<int32_t>{kJuly, kAugust, kOctober}));
    EXPECT_EQ(g.disruptions, 5);
    EXPECT_EQ(HistoryIds(s, "kent-g1"),
              (std::vector<std::string>{"d6", "d1", "d4", "d2", "d5"}));
  };
  expect_figures(**store);
  store->reset();

  // In RocksDB: the checkpoint of batches 1 and 2 (d1-d5) and one journal
  // entry (d6).
  {
    const Stored stored = ReadStored(path);
    EXPECT_EQ(stored.journal_entries, 1);
    EXPECT_EQ(stored.history_entries, 4);  // d1 d2 d4 d5
    const auto& july = stored.tallies.at(MonthKey(kJuly));
    EXPECT_EQ(july.disruptions(), 3);
    EXPECT_EQ(july.arrests(), 5);
    EXPECT_EQ(july.first_day(), Day("2021-07-05"));
    const auto& g = stored.states.at(StateKey("kent-g1"));
    EXPECT_EQ(std::vector<int32_t>(g.months().begin(), g.months().end()),
              (std::vector<int32_t>{kJuly, kAugust, kOctober}));
    EXPECT_EQ(g.disruptions(), 4);
    EXPECT_TRUE(g.has_4p_plan());
  }

  // Reopened: the journal is replayed; the version is the store's.
  store = SocStore::Open(OptionsAt(path), Today(), every_four);
  ASSERT_TRUE(store.ok()) << store.status();
  expect_figures(**store);
  EXPECT_EQ((*store)->DataVersion(), v3);

  // Updating the group writes its state, which counts d6: a checkpoint.
  ASSERT_TRUE((*store)->UpdateGroup(Group("kent-g1", false)).ok());
  EXPECT_GT((*store)->DataVersion(), v3);
  EXPECT_FALSE(StateOf(**store, "kent-g1").plan);
  expect_figures(**store);
  store->reset();
  {
    const Stored stored = ReadStored(path);
    EXPECT_EQ(stored.journal_entries, 0);
    EXPECT_EQ(stored.history_entries, 5);
    EXPECT_EQ(stored.tallies.at(MonthKey(kJuly)).disruptions(), 4);
    const auto& g = stored.states.at(StateKey("kent-g1"));
    EXPECT_EQ(g.disruptions(), 5);
    EXPECT_FALSE(g.has_4p_plan());
  }
  store = SocStore::Open(OptionsAt(path), Today(), every_four);
  ASSERT_TRUE(store.ok()) << store.status();
  expect_figures(**store);
  EXPECT_FALSE(StateOf(**store, "kent-g1").plan);
}

// Two writers applying the same batches at the same time (as two streams
// resending them would): every record is accepted once and counted once,
// with checkpoints and journal entries interleaved.
// A store written before history chunks holds one 'H' key per disruption
// with an empty value: its entries are still read, merged in date order with
// the chunks written since.
TEST(SocStoreHistory, OneKeyPerEntryFromOlderStoresIsReadBesideChunks) {
  peel::testing::TempDir dir("soc-store-test");
  const std::string path = dir.Sub("data");
  AggregateCheckpoints every_batch;
  every_batch.records = 1;
  {
    auto store = SocStore::Open(OptionsAt(path), Today(), every_batch);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->RegisterGroup(Group("kent-g1", true)).ok());
    auto ack = (*store)->ApplyDisruptions(Batch(
        1, {Disruption("d1", "kent-g1", "2021-07-05", v1::PURSUE, 1, 0),
            Disruption("d3", "kent-g1", "2021-09-01", v1::PURSUE, 1, 0)}));
    ASSERT_TRUE(ack.ok()) << ack.status();
    EXPECT_EQ(ack->accepted(), 2);
  }
  {  // d2 as an older store kept it.
    store::StoreOptions o = OptionsAt(path);
    o.column_families = {"groups", "disruptions", "aggregates"};
    auto s = store::Store::Open(o);
    ASSERT_TRUE(s.ok()) << s.status();
    const v1::Disruption d2 =
        Disruption("d2", "kent-g1", "2021-08-01", v1::PURSUE, 1, 0);
    rocksdb::WriteBatch wb;
    wb.Put((*s)->Handle(SocStore::kDisruptions),
           store::KeyBuilder('D').Id("d2").Take(), d2.SerializeAsString());
    wb.Put((*s)->Handle(SocStore::kDisruptions),
           store::KeyBuilder('H')
               .Id("kent-g1")
               .I32(Day("2021-08-01"))
               .Id("d2")
               .Take(),
           "");
    ASSERT_TRUE((*s)->Write(&wb).ok());
  }
  auto store = SocStore::Open(OptionsAt(path), Today(), every_batch);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(HistoryIds(**store, "kent-g1"),
            (std::vector<std::string>{"d1", "d2", "d3"}));
}

TEST(SocStoreAggregates, TwoWritersSendingTheSameRecordsCountEachOnce) {
  peel::testing::TempDir dir("soc-store-test");
  const std::string path = dir.Sub("data");
  AggregateCheckpoints often;
  often.records = 700;
  often.batches = 4;
  auto store = SocStore::Open(OptionsAt(path), Today(), often);
  ASSERT_TRUE(store.ok()) << store.status();
  constexpr int kGroups = 5;
  for (int g = 0; g < kGroups; ++g) {
    ASSERT_TRUE((*store)
                    ->RegisterGroup(Group(absl::StrFormat("kent-g%d", g), true))
                    .ok());
  }
  // 62 batches of 50 (a checkpoint every 4 batches: the last two stay in
  // the journal, replayed at reopen): record i against group i % 5 (every
  // third against an individual), on day i % 365 from 2021-07-01, i % 4
  // arrests.
  constexpr int kBatches = 62, kPerBatch = 50, kRecords = kBatches * kPerBatch;
  std::vector<v1::DisruptionBatch> batches;
  int64_t arrests = 0;
  std::array<int64_t, kGroups> per_group{};
  for (int b = 0; b < kBatches; ++b) {
    std::vector<v1::Disruption> ds;
    for (int k = 0; k < kPerBatch; ++k) {
      const int i = b * kPerBatch + k;
      const bool individual = i % 3 == 0;
      ds.push_back(
          Disruption(absl::StrFormat("r%05d", i),
                     individual ? "" : absl::StrFormat("kent-g%d", i % kGroups),
                     dates::FormatIsoDate(Day("2021-07-01") + i % 365),
                     v1::PURSUE, i % 4, 0));
      arrests += i % 4;
      if (!individual) ++per_group[static_cast<size_t>(i % kGroups)];
    }
    batches.push_back(Batch(b + 1, std::move(ds)));
  }

  std::array<int64_t, 2> accepted{}, duplicates{};
  std::vector<std::thread> writers;
  for (size_t w = 0; w < accepted.size(); ++w) {
    writers.emplace_back([&, w] {
      for (const auto& b : batches) {
        auto ack = (*store)->ApplyDisruptions(b);
        ASSERT_TRUE(ack.ok()) << ack.status();
        accepted[w] += ack->accepted();
        duplicates[w] += ack->duplicates();
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(accepted[0] + accepted[1], kRecords);
  EXPECT_EQ(duplicates[0] + duplicates[1], kRecords);

  auto expect_counted_once = [&](const SocStore& s) {
    auto year = s.SumMonths("kent", kJuly, 12);
    ASSERT_TRUE(year.ok());
    EXPECT_EQ(year->disruptions, kRecords);
    EXPECT_EQ(year->arrests, arrests);
    for (int g = 0; g < kGroups; ++g) {
      const std::string id = absl::StrFormat("kent-g%d", g);
      const GroupFigures f = StateOf(s, id);
      EXPECT_EQ(f.disruptions, per_group[static_cast<size_t>(g)]) << g;
      EXPECT_EQ(f.months.size(), 12u) << g;
      EXPECT_EQ(static_cast<int64_t>(HistoryIds(s, id).size()),
                per_group[static_cast<size_t>(g)])
          << g;
    }
  };
  expect_counted_once(**store);
  store->reset();
  store = SocStore::Open(OptionsAt(path), Today(), often);
  ASSERT_TRUE(store.ok()) << store.status();
  expect_counted_once(**store);
}

}  // namespace
}  // namespace peel::soc
