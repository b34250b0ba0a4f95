// Call tallies: the arithmetic of one merge, and a store fed by concurrent
// writers that claim overlapping records, with its journal checkpointed
// never, every few batches and after every batch.
#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "common/store/keys.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "services/victim-service/call_tally_merge.h"
#include "services/victim-service/store.h"
#include "services/victim-service/summaries.h"
#include "services/victim-service/validate.h"

namespace peel::victimservice {
namespace {

TEST(VictimServiceCallTally, MergeAddsCountsAndKeepsTheLargerMaximum) {
  v1::storage::CallTally into;
  into.set_offered(3);
  into.set_answered(2);
  into.set_abandoned(1);
  into.set_answer_ms_sum(9000);
  into.set_answer_ms_max(7000);
  into.set_waited_ms_sum(400);
  into.add_answer_seconds(0);
  into.add_answer_seconds(1);  // one call in [1, 2) s
  v1::storage::CallTally delta;
  delta.set_offered(4);
  delta.set_answered(4);
  delta.set_answer_ms_sum(20000);
  delta.set_answer_ms_max(6000);
  for (int i = 0; i < 5; ++i)
    delta.add_answer_seconds(i == 1 || i == 4 ? 2 : 0);
  MergeCallTally(delta, &into);
  EXPECT_EQ(into.offered(), 7);
  EXPECT_EQ(into.answered(), 6);
  EXPECT_EQ(into.abandoned(), 1);
  EXPECT_EQ(into.answer_ms_sum(), 29000);
  EXPECT_EQ(into.answer_ms_max(), 7000);
  EXPECT_EQ(into.waited_ms_sum(), 400);
  ASSERT_EQ(into.answer_seconds_size(), 5);
  EXPECT_EQ(into.answer_seconds(0), 0);
  EXPECT_EQ(into.answer_seconds(1), 3);
  EXPECT_EQ(into.answer_seconds(4), 2);
}

v1::CallRecord Call(int n) {
  v1::CallRecord c;
  c.set_call_id("c" + std::to_string(n));
  c.set_force(n % 2 == 0 ? "metropolitan" : "kent");
  c.set_channel(v1::EMERGENCY_999);
  // 2021-10-01 00:00 UTC plus n minutes: all in October 2021.
  c.mutable_offered_at()->set_seconds(1633046400 + 60 * n);
  c.mutable_answered()->set_answer_ms(1000 * (n % 30));
  return c;
}

// What RocksDB holds, read with the store closed: the calls the stored
// October 999 tallies count, and the calls the journal entries name (two
// '\0'-terminated fields each).
struct Stored {
  int64_t tallied = 0;
  int64_t journaled = 0;
  int entries = 0;
};
Stored ReadStored(const std::string& path) {
  store::StoreOptions o;
  o.path = path;
  o.column_families = {"assessments", "records", "aggregates"};
  o.merge_operators = {{"aggregates", NewCallTallyMergeOperator()}};
  auto s = store::Store::Open(o);
  EXPECT_TRUE(s.ok()) << s.status();
  Stored out;
  if (!s.ok()) return out;
  EXPECT_TRUE((*s)->Scan(VictimServiceStore::kAggregates, "", "",
                         [&](absl::string_view k, absl::string_view v) {
                           if (k[0] == 'H') {
                             v1::storage::CallTally t;
                             EXPECT_TRUE(t.ParseFromArray(
                                 v.data(), static_cast<int>(v.size())));
                             out.tallied += t.offered();
                           } else if (k[0] == 'J') {
                             ++out.entries;
                             out.journaled +=
                                 std::count(v.begin(), v.end(), '\0') / 2;
                           }
                           return true;
                         })
                  .ok());
  return out;
}

// 4,000 calls sent by two writers at once, each in 40 batches of its own
// random overlapping selection, so most records race on both: every call is
// counted once, in memory, in RocksDB (stored tallies + journal) and after a
// restart, and the data version moves with every accepted batch. The
// parameter is the checkpoint's record threshold.
class CallTallyJournal : public ::testing::TestWithParam<int64_t> {};

TEST_P(CallTallyJournal, ConcurrentOverlappingBatchesCountEachCallOnce) {
  testing::TempDir dir;
  ingest::AggregateCheckpoints checkpoints;
  checkpoints.records = GetParam();
  uint64_t version_seen = 0;
  const int32_t october = MonthOfUnixSeconds(1633046400);
  auto totals = [&](const VictimServiceStore& store, int64_t* offered,
                    int64_t* ms_sum) {
    auto months =
        store.GetCallMonths({"metropolitan", "kent"}, october, october);
    ASSERT_TRUE(months.ok()) << months.status();
    *offered = 0;
    *ms_sum = 0;
    for (const auto& f : *months) {
      *offered += f.emergency[0].offered();
      *ms_sum += f.emergency[0].answer_ms_sum();
    }
  };
  int64_t expected_ms = 0;
  for (int n = 0; n < 4000; ++n) expected_ms += 1000 * (n % 30);
  {
    store::StoreOptions options;
    options.path = dir.path();
    auto store = VictimServiceStore::Open(options, checkpoints);
    ASSERT_TRUE(store.ok()) << store.status();
    std::atomic<int64_t> accepted{0};
    auto writer = [&](uint64_t seed) {
      std::mt19937_64 rng(seed);
      std::vector<int> order(4000);
      for (int i = 0; i < 4000; ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), rng);
      for (int b = 0; b < 40; ++b) {
        v1::CallRecordBatch batch;
        batch.set_sequence(b + 1);
        // 100 of its own order plus 100 at random: overlaps itself too.
        for (int k = 0; k < 100; ++k) {
          *batch.add_calls() = Call(order[b * 100 + k]);
          *batch.add_calls() = Call(static_cast<int>(rng() % 4000));
        }
        auto ack = (*store)->ApplyCallRecords(batch);
        ASSERT_TRUE(ack.ok()) << ack.status();
        EXPECT_EQ(ack->rejected(), 0);
        accepted += ack->accepted();
      }
    };
    const uint64_t before = (*store)->DataVersion();
    std::thread a(writer, 1), b(writer, 2);
    a.join();
    b.join();
    EXPECT_EQ(accepted.load(), 4000);
    int64_t offered = 0, ms_sum = 0;
    totals(**store, &offered, &ms_sum);
    EXPECT_EQ(offered, 4000);
    EXPECT_EQ(ms_sum, expected_ms);
    version_seen = (*store)->DataVersion();
    EXPECT_GT(version_seen, before);
  }
  const Stored stored = ReadStored(dir.path());
  EXPECT_EQ(stored.tallied + stored.journaled, 4000);
  if (GetParam() > 4000) {
    EXPECT_EQ(stored.tallied, 0);  // never checkpointed
  } else {
    EXPECT_GT(stored.tallied, 0);
    EXPECT_LT(stored.journaled, 2 * GetParam());  // at most two unapplied
  }
  store::StoreOptions options;
  options.path = dir.path();
  auto store = VictimServiceStore::Open(options, checkpoints);
  ASSERT_TRUE(store.ok()) << store.status();
  int64_t offered = 0, ms_sum = 0;
  totals(**store, &offered, &ms_sum);
  EXPECT_EQ(offered, 4000);
  EXPECT_EQ(ms_sum, expected_ms);
  // Never an earlier run's version for different data.
  EXPECT_GE((*store)->DataVersion(), version_seen);
  const uint64_t reopened = (*store)->DataVersion();
  v1::CallRecordBatch one;
  *one.add_calls() = Call(4000);
  ASSERT_TRUE((*store)->ApplyCallRecords(one).ok());
  EXPECT_GT((*store)->DataVersion(), reopened);
  totals(**store, &offered, &ms_sum);
  EXPECT_EQ(offered, 4001);
}

INSTANTIATE_TEST_SUITE_P(Checkpoints, CallTallyJournal,
                         ::testing::Values(32768, 300, 1));

// A store written before the journal holds its tallies as merge deltas: they
// are read (folded by the merge operator), and calls ingested now add to
// them.
TEST(VictimServiceCallTally, MergeDeltasFromOlderStoresAreRead) {
  testing::TempDir dir;
  const int32_t october = MonthOfUnixSeconds(1633046400);
  {
    store::StoreOptions o;
    o.path = dir.path();
    o.column_families = {"assessments", "records", "aggregates"};
    o.merge_operators = {{"aggregates", NewCallTallyMergeOperator()}};
    auto s = store::Store::Open(o);
    ASSERT_TRUE(s.ok()) << s.status();
    const std::string cell = store::KeyBuilder('H')
                                 .Id("kent")
                                 .U32(v1::EMERGENCY_999)
                                 .I32(october)
                                 .Take();
    rocksdb::WriteBatch wb;
    for (int64_t ms : {2000, 15000}) {
      v1::storage::CallTally delta;
      AddAnswered(ms, &delta);
      wb.Merge((*s)->Handle(VictimServiceStore::kAggregates), cell,
               delta.SerializeAsString());
    }
    wb.Put((*s)->Handle(VictimServiceStore::kAggregates),
           store::KeyBuilder('P').Id("kent").Take(), "");
    ASSERT_TRUE((*s)->Write(&wb).ok());
  }
  store::StoreOptions options;
  options.path = dir.path();
  auto store = VictimServiceStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  v1::CallRecordBatch one;
  *one.add_calls() = Call(1);  // kent, October, answered in 1 s
  ASSERT_TRUE((*store)->ApplyCallRecords(one).ok());
  auto months = (*store)->GetCallMonths({"kent"}, october, october);
  ASSERT_TRUE(months.ok()) << months.status();
  EXPECT_EQ((*months)[0].emergency[0].offered(), 3);
  EXPECT_EQ((*months)[0].emergency[0].answer_ms_sum(), 2000 + 15000 + 1000);
  EXPECT_EQ((*months)[0].emergency[0].answer_ms_max(), 15000);
}

}  // namespace
}  // namespace peel::victimservice
