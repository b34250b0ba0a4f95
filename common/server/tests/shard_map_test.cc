// The shard that owns a force, as the gateway and peelctl route.
#include "common/server/shard_map.h"

#include "gtest/gtest.h"

namespace peel::server {
namespace {

TEST(ShardMap, NamedForcesThenTheCatchAll) {
  auto shards = ParseShardSpecs("metropolitan+kent@a:1, b:2 ,essex@c:3", "m");
  ASSERT_TRUE(shards.ok()) << shards.status();
  ASSERT_EQ(shards->size(), 3u);
  EXPECT_EQ((*shards)[1].address, "b:2");
  EXPECT_EQ(ShardOwning(*shards, "metropolitan"), 0);
  EXPECT_EQ(ShardOwning(*shards, "kent"), 0);
  EXPECT_EQ(ShardOwning(*shards, "essex"), 2);
  EXPECT_EQ(ShardOwning(*shards, "surrey"), 1);  // the catch-all
}

TEST(ShardMap, NoCatchAllLeavesOtherForcesUnowned) {
  auto shards = ParseShardSpecs("metropolitan@a:1,kent+essex@b:2", "m");
  ASSERT_TRUE(shards.ok()) << shards.status();
  EXPECT_EQ(ShardOwning(*shards, "essex"), 1);
  EXPECT_EQ(ShardOwning(*shards, "surrey"), -1);
  EXPECT_EQ(ShardOwning({}, "kent"), -1);
}

TEST(ShardMap, ErrorsNameTheFlag) {
  auto twice = ParseShardSpecs("kent@a:1,kent@b:2", "shard_map");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(),
            "--shard_map='kent@a:1,kent@b:2': force 'kent' is owned by two "
            "shards");
}

}  // namespace
}  // namespace peel::server
