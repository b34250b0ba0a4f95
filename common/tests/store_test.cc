#include "common/store/store.h"

#include <filesystem>
#include <random>

#include "absl/strings/string_view.h"
#include "common/ingest/idempotent_writes.h"
#include "common/store/keys.h"
#include "gtest/gtest.h"
#include "rocksdb/merge_operator.h"

namespace peel::store {
namespace {

std::string TempDir() {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("peel-store-test-" + std::to_string(rd()));
  return dir.string();
}

TEST(Keys, BigEndianOrdersNumerically) {
  std::string a = KeyBuilder('k').U32(255).Take();
  std::string b = KeyBuilder('k').U32(256).Take();
  EXPECT_LT(a, b);
  std::string n = KeyBuilder('k').I64(-5).Take();
  std::string p = KeyBuilder('k').I64(3).Take();
  EXPECT_LT(n, p);
}

TEST(Keys, RoundTrip) {
  std::string key = KeyBuilder('a').Id("audit-1").I32(-7).U64(42).Take();
  KeyReader r(key);
  char tag;
  absl::string_view id;
  int32_t day;
  uint64_t n;
  ASSERT_TRUE(r.Tag(&tag) && r.Id(&id) && r.I32(&day) && r.U64(&n));
  EXPECT_EQ(tag, 'a');
  EXPECT_EQ(id, "audit-1");
  EXPECT_EQ(day, -7);
  EXPECT_EQ(n, 42u);
}

TEST(Keys, IdPrefixesDoNotOverlap) {
  // "a1" must not be a prefix of "a10"'s keys.
  std::string p1 = KeyBuilder('r').Id("a1").Take();
  std::string k10 = KeyBuilder('r').Id("a10").Id("x").Take();
  EXPECT_NE(k10.compare(0, p1.size(), p1), 0);
}

TEST(Store, WritesSurviveReopenAndScanInOrder) {
  const std::string dir = TempDir();
  {
    auto store = Store::Open({dir, {"records", "aggregates"}});
    ASSERT_TRUE(store.ok()) << store.status();
    rocksdb::WriteBatch batch;
    for (uint32_t i : {3u, 1u, 2u}) {
      batch.Put((*store)->Handle(0), KeyBuilder('r').U32(i).Take(),
                std::to_string(i));
    }
    batch.Put((*store)->Handle(1), "total", "3");
    const uint64_t before = (*store)->DataVersion();
    ASSERT_TRUE((*store)->Write(&batch).ok());
    EXPECT_GT((*store)->DataVersion(), before);
  }
  auto store = Store::Open({dir, {"records", "aggregates"}});
  ASSERT_TRUE(store.ok()) << store.status();
  std::string seen;
  ASSERT_TRUE((*store)
                  ->ScanPrefix(0, "r",
                               [&](absl::string_view, absl::string_view v) {
                                 seen.append(v.data(), v.size());
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(seen, "123");
  auto total = (*store)->Get(1, "total");
  ASSERT_TRUE(total.ok());
  EXPECT_EQ(total->value_or(""), "3");
  EXPECT_FALSE((*store)->Get(1, "absent")->has_value());
  store->reset();
  std::filesystem::remove_all(dir);
}

// Adds decimal integers: a commutative delta, as services use for tallies.
class AddDecimal : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* out,
             rocksdb::Logger*) const override {
    const long base = existing ? std::stol(existing->ToString()) : 0;
    *out = std::to_string(base + std::stol(value.ToString()));
    return true;
  }
  const char* Name() const override { return "AddDecimal"; }
};

TEST(Store, MergeOperatorFoldsDeltasOnItsColumnFamilyOnly) {
  const std::string dir = TempDir();
  StoreOptions options{dir, {"records", "aggregates"}};
  options.merge_operators = {{"aggregates", std::make_shared<AddDecimal>()}};
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    for (const char* delta : {"5", "-2", "40"}) {
      rocksdb::WriteBatch batch;
      batch.Merge((*store)->Handle(1), "total", delta);
      ASSERT_TRUE((*store)->Write(&batch).ok());
    }
    // The records family has no operator: a merge there is refused.
    rocksdb::WriteBatch batch;
    batch.Merge((*store)->Handle(0), "r", "1");
    EXPECT_FALSE((*store)->Write(&batch).ok());
    EXPECT_FALSE((*store)->Get(0, "r")->has_value());
  }
  auto store = Store::Open(options);  // the deltas survive a restart
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Get(1, "total")->value_or(""), "43");
  store->reset();
  std::filesystem::remove_all(dir);

  StoreOptions wrong{TempDir(), {"records"}};
  wrong.merge_operators = {{"aggregates", std::make_shared<AddDecimal>()}};
  auto refused = Store::Open(wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("aggregates"), std::string::npos);
}

TEST(Store, SecondOpenOfSameDirectoryFails) {
  const std::string dir = TempDir();
  auto first = Store::Open({dir, {"records"}});
  ASSERT_TRUE(first.ok());
  auto second = Store::Open({dir, {"records"}});
  EXPECT_FALSE(second.ok());
  first->reset();
  std::filesystem::remove_all(dir);
}

TEST(IdempotentWrites, ResolvesAgainstStoreAndBatch) {
  const std::string dir = TempDir();
  auto store = Store::Open({dir, {"records"}});
  ASSERT_TRUE(store.ok());
  rocksdb::WriteBatch batch;
  batch.Put((*store)->Handle(0), "k1", "v1");
  ASSERT_TRUE((*store)->Write(&batch).ok());

  std::vector<ingest::Candidate> c = {
      {"k1", "v1"}, {"k1", "other"}, {"k2", "v2"}, {"k2", "v2"}, {"k2", "x"}};
  auto r = ingest::ResolveWrites(**store, 0, c);
  ASSERT_TRUE(r.ok());
  using ingest::Resolution;
  EXPECT_EQ((*r)[0], Resolution::kDuplicate);
  EXPECT_EQ((*r)[1], Resolution::kConflict);
  EXPECT_EQ((*r)[2], Resolution::kNew);
  EXPECT_EQ((*r)[3], Resolution::kDuplicate);
  EXPECT_EQ((*r)[4], Resolution::kConflict);
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace peel::store
