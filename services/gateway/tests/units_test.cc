// Unit tests of the gateway's pure parts: shard routing, the judgments
// store, the national comparison merge, the consistency warnings and the
// versioned caches.
#include <cmath>

#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/assembly.h"
#include "services/gateway/assessment_cache.h"
#include "services/gateway/backends.h"
#include "services/gateway/catalogue.h"
#include "services/gateway/comparisons.h"
#include "services/gateway/store.h"

namespace peel::gateway {
namespace {

using ::testing::HasSubstr;

TEST(GatewayShards, ParsesAndRoutes) {
  auto specs = ParseShardSpecs(
      "metropolitan+kent@10.0.0.1:50051, 10.0.0.2:50051", "x_addr");
  ASSERT_TRUE(specs.ok()) << specs.status();
  ASSERT_EQ(specs->size(), 2u);
  BackendPool pool(v1::CRIME_RECORDING, *specs);
  EXPECT_EQ(pool.ShardFor("kent")->spec.address, "10.0.0.1:50051");
  EXPECT_EQ(pool.ShardFor("metropolitan")->spec.address, "10.0.0.1:50051");
  EXPECT_EQ(pool.ShardFor("essex")->spec.address, "10.0.0.2:50051");

  BackendPool only_named(v1::CRIME_RECORDING,
                         *ParseShardSpecs("kent@a:1", "x_addr"));
  EXPECT_EQ(only_named.ShardFor("essex"), nullptr);
  EXPECT_TRUE(ParseShardSpecs("", "x_addr")->empty());

  EXPECT_THAT(ParseShardSpecs("atlantis@a:1", "x_addr").status().message(),
              HasSubstr("unknown force 'atlantis'"));
  EXPECT_THAT(ParseShardSpecs("kent@a:1,kent@b:2", "x_addr").status().message(),
              HasSubstr("owned by two shards"));
  EXPECT_THAT(ParseShardSpecs("a:1,b:2", "x_addr").status().message(),
              HasSubstr("two shards own every other force"));
  EXPECT_THAT(ParseShardSpecs("kent@", "x_addr").status().message(),
              HasSubstr("--x_addr"));
}

v1::Judgment Judgment(const std::string& id, v1::Area area,
                      peel::common::v1::Grade grade) {
  v1::Judgment j;
  j.set_judgment_id(id);
  j.set_force("metropolitan");
  j.set_area(area);
  j.set_grade(grade);
  j.set_judged_on("2022-09-01");
  j.mutable_period()->set_start_date("2021-04-01");
  j.mutable_period()->set_end_date("2022-09-30");
  return j;
}

TEST(GatewayStore, IdempotentByIdWithHistory) {
  peel::testing::TempDir dir("gateway-store");
  store::StoreOptions o;
  o.path = dir.Sub("db");
  auto store = JudgmentsStore::Open(o);
  ASSERT_TRUE(store.ok()) << store.status();
  auto j1 = Judgment("j1", v1::RESPONDING_TO_THE_PUBLIC,
                     peel::common::v1::REQUIRES_IMPROVEMENT);
  auto r = (*store)->RecordJudgment(j1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->duplicate);
  auto again = (*store)->RecordJudgment(j1);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->sequence, r->sequence);
  auto changed = j1;
  changed.set_grade(peel::common::v1::INADEQUATE);
  EXPECT_EQ((*store)->RecordJudgment(changed).status().code(),
            absl::StatusCode::kAlreadyExists);
  // A new id supersedes; both are kept.
  changed.set_judgment_id("j2");
  ASSERT_TRUE((*store)->RecordJudgment(changed).ok());
  auto list = (*store)->List("metropolitan", v1::AREA_UNSPECIFIED);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->judgments_size(), 2);
  EXPECT_EQ(list->judgments(0).judgment_id(), "j1");
  EXPECT_EQ(list->judgments(1).judgment_id(), "j2");
  EXPECT_TRUE(
      (*store)->List("kent", v1::AREA_UNSPECIFIED)->judgments().empty());

  // Findings and recommendation status history.
  v1::Finding f;
  f.set_finding_id("coc-1");
  f.set_force("metropolitan");
  f.set_area(v1::RESPONDING_TO_THE_PUBLIC);
  f.set_kind(v1::CAUSE_OF_CONCERN);
  f.set_summary("The force must answer calls in time");
  f.set_recorded_on("2022-09-01");
  *f.mutable_period() = j1.period();
  auto* rec = f.add_recommendations();
  rec->set_recommendation_id("r1");
  rec->set_text("Within six months, answer 90% of 999 calls in 10 s");
  ASSERT_TRUE((*store)->RecordFinding(f).ok());
  v1::RecommendationStatus s;
  s.set_status_id("s1");
  s.set_finding_id("coc-1");
  s.set_recommendation_id("r1");
  s.set_state(v1::IN_PROGRESS);
  s.set_as_of("2022-12-01");
  ASSERT_TRUE((*store)->RecordRecommendationStatus(s).ok());
  s.set_status_id("s2");
  s.set_state(v1::COMPLETED);
  s.set_as_of("2023-06-01");
  ASSERT_TRUE((*store)->RecordRecommendationStatus(s).ok());
  s.set_status_id("s3");
  s.set_recommendation_id("r9");
  EXPECT_EQ((*store)->RecordRecommendationStatus(s).status().code(),
            absl::StatusCode::kFailedPrecondition);
  list = (*store)->List("metropolitan", v1::RESPONDING_TO_THE_PUBLIC);
  ASSERT_EQ(list->findings_size(), 1);
  ASSERT_EQ(list->findings(0).recommendations(0).history_size(), 2);
  EXPECT_EQ(list->findings(0).recommendations(0).history(1).state(),
            v1::COMPLETED);

  // Bad input names the field.
  auto bad = j1;
  bad.set_judgment_id("j3");
  bad.set_area(v1::SERVICE_TO_VICTIMS);
  EXPECT_THAT((*store)->RecordJudgment(bad).status().message(),
              HasSubstr("judgment.grade"));
  bad = j1;
  bad.set_judgment_id("j4");
  bad.set_force("atlantis");
  EXPECT_THAT((*store)->RecordJudgment(bad).status().message(),
              HasSubstr("judgment.force"));
}

TEST(GatewayComparisons, MergesShardsAndExcludes) {
  const v1::Metric* m = FindMetric("crime_recording.rate");
  ASSERT_NE(m, nullptr);
  NationalValues a, b;
  const std::vector<std::pair<std::string, double>> va = {
      {"metropolitan", 0.917}, {"kent", 0.95}, {"btp", 0.9}};
  const std::vector<std::pair<std::string, double>> vb = {
      {"essex", 0.93}, {"surrey", 0.88}, {"kent", 0.95}};
  for (auto [f, v] : va) {
    a.values.emplace_back();
    a.values.back().set_force(f);
    a.values.back().set_value(v);
  }
  for (auto [f, v] : vb) {
    b.values.emplace_back();
    b.values.back().set_force(f);
    b.values.back().set_value(v);
  }
  auto c = ComputeComparison(*m, {}, {a, b});
  ASSERT_TRUE(c.ok()) << c.status();
  // kent came from two shards: excluded; BTP out of scope; 43 - 3 no data.
  ASSERT_EQ(c->forces_size(), 3);
  int no_data = 0;
  for (const auto& e : c->excluded()) {
    if (e.reason() == "no data for the period") ++no_data;
    if (e.force() == "kent") {
      EXPECT_THAT(e.reason(), HasSubstr("two shards"));
    }
    if (e.force() == "btp") {
      EXPECT_EQ(e.reason(), "outside PEEL scope");
    }
  }
  EXPECT_EQ(no_data, 43 - 3 - 1);  // 3 compared, kent excluded
  // Independently: mean and sample SD of 0.917, 0.93, 0.88.
  const double mean = (0.917 + 0.93 + 0.88) / 3;
  const double sd =
      std::sqrt((std::pow(0.917 - mean, 2) + std::pow(0.93 - mean, 2) +
                 std::pow(0.88 - mean, 2)) /
                2);
  EXPECT_FALSE(c->logged());
  EXPECT_NEAR(c->mean(), mean, 1e-12);
  EXPECT_NEAR(c->sd(), sd, 1e-12);
  EXPECT_NEAR(c->lower(), mean - sd, 1e-12);
  for (const auto& f : c->forces()) {
    EXPECT_NEAR(f.z(), (f.value() - mean) / sd, 1e-12);
  }
  // Fewer than three forces: a clear failure.
  b.values.pop_back();
  EXPECT_THAT(ComputeComparison(*m, {}, {b}).status().message(),
              HasSubstr("2 forces with data"));
}

TEST(GatewayAssembly, ConsistencyWarnings) {
  v1::GradingPolicy policy;
  policy.set_policy_id("p");
  v1::ListJudgmentsResponse recorded;
  *recorded.add_judgments() =
      Judgment("a", v1::RESPONDING_TO_THE_PUBLIC, peel::common::v1::INADEQUATE);
  *recorded.add_judgments() =
      Judgment("b", v1::PREVENTING_CRIME, peel::common::v1::GOOD);
  v1::Finding f;
  f.set_finding_id("coc");
  f.set_area(v1::PREVENTING_CRIME);
  f.set_kind(v1::CAUSE_OF_CONCERN);
  f.mutable_period()->set_end_date("2022-09-30");
  *recorded.add_findings() = f;
  auto a =
      Assemble(*reference::FindForce("metropolitan"), {}, policy, recorded, {});
  ASSERT_EQ(a.areas_size(), 11);
  std::set<int> kinds;
  for (const auto& w : a.warnings()) kinds.insert(w.kind());
  EXPECT_EQ(kinds,
            (std::set<int>{v1::INADEQUATE_WITHOUT_CAUSE_OF_CONCERN,
                           v1::CAUSE_OF_CONCERN_WITHOUT_RECOMMENDATION,
                           v1::GOOD_OR_OUTSTANDING_WITH_CAUSE_OF_CONCERN}));
}

}  // namespace
}  // namespace peel::gateway

namespace peel::gateway {
namespace {

TEST(GatewayVersionedCache, HitsOnlyWithTheExactVersions) {
  VersionedCache<std::string> cache(2);
  EXPECT_EQ(cache.Find("met", {1, 7}), nullptr);
  cache.Put("met", {1, 7}, std::make_shared<const std::string>("a"));
  ASSERT_NE(cache.Find("met", {1, 7}), nullptr);
  EXPECT_EQ(*cache.Find("met", {1, 7}), "a");
  // Any source moved on (or one more shard): a miss, never the old value.
  EXPECT_EQ(cache.Find("met", {1, 8}), nullptr);
  EXPECT_EQ(cache.Find("met", {2, 7}), nullptr);
  EXPECT_EQ(cache.Find("met", {1, 7, 0}), nullptr);
  EXPECT_EQ(cache.Find("kent", {1, 7}), nullptr);
  cache.Put("met", {1, 8}, std::make_shared<const std::string>("b"));
  EXPECT_EQ(cache.Find("met", {1, 7}), nullptr);
  EXPECT_EQ(*cache.Find("met", {1, 8}), "b");
  // Bounded: a third key drops one of the others.
  cache.Put("kent", {1}, std::make_shared<const std::string>("k"));
  cache.Put("essex", {1}, std::make_shared<const std::string>("e"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(*cache.Find("essex", {1}), "e");

  VersionedCache<std::string> off(0);
  EXPECT_FALSE(off.enabled());
  off.Put("met", {1}, std::make_shared<const std::string>("a"));
  EXPECT_EQ(off.Find("met", {1}), nullptr);
}

TEST(GatewayVersionedCache, LatestPeriodKeyCarriesToday) {
  peel::common::v1::Period unset, p;
  p.set_start_date("2021-04-01");
  p.set_end_date("2022-03-31");
  EXPECT_NE(AssessmentKey("met", unset, "2022-01-01"),
            AssessmentKey("met", unset, "2022-01-02"));
  EXPECT_EQ(AssessmentKey("met", p, ""), AssessmentKey("met", p, ""));
  EXPECT_NE(AssessmentKey("met", p, ""), AssessmentKey("kent", p, ""));
  EXPECT_NE(AssessmentKey("met", p, ""), AssessmentKey("met", unset, ""));
}

}  // namespace
}  // namespace peel::gateway
