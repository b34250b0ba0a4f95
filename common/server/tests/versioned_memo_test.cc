#include "common/server/versioned_memo.h"

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "peel/common/v1/common.pb.h"

namespace peel::server {
namespace {

using peel::common::v1::DataVersion;
using peel::common::v1::Period;

Period Year(const char* start, const char* end) {
  Period p;
  p.set_start_date(start);
  p.set_end_date(end);
  return p;
}

TEST(VersionedMemoTest, RecomputesOnlyWhenVersionOrRequestChanges) {
  VersionedMemo<DataVersion> memo;
  int computed = 0;
  auto compute = [&]() -> absl::StatusOr<DataVersion> {
    DataVersion v;
    v.set_version(static_cast<uint64_t>(++computed));
    return v;
  };
  const Period y21 = Year("2021-04-01", "2022-03-31");
  const Period y20 = Year("2020-04-01", "2021-03-31");

  EXPECT_EQ(Memoized(&memo, 7, y21, compute)->version(), 1u);
  EXPECT_EQ(Memoized(&memo, 7, y21, compute)->version(), 1u);  // memo hit
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(Memoized(&memo, 8, y21, compute)->version(), 2u);  // a write
  EXPECT_EQ(Memoized(&memo, 8, y20, compute)->version(), 3u);  // other period
  EXPECT_EQ(Memoized(&memo, 8, y21, compute)->version(), 4u);  // one entry
  EXPECT_EQ(computed, 4);
}

TEST(VersionedMemoTest, ErrorsAreNotKept) {
  VersionedMemo<DataVersion> memo;
  int computed = 0;
  auto failing = [&]() -> absl::StatusOr<DataVersion> {
    ++computed;
    return absl::UnavailableError("store closed");
  };
  const Period y = Year("2021-04-01", "2022-03-31");
  EXPECT_FALSE(Memoized(&memo, 1, y, failing).ok());
  EXPECT_FALSE(Memoized(&memo, 1, y, failing).ok());
  EXPECT_EQ(computed, 2);
}

}  // namespace
}  // namespace peel::server
