// Idempotency under retry (issue 10): every store service's Metropolitan
// batches replayed shuffled, interleaved from two clients and in part a
// third time give the one-pass figures byte for byte, also after a restart
// (common/testing/replay.h).
#include <cstdlib>

#include "common/testing/server_bin.h"
#include "gtest/gtest.h"
#include "integration-tests/idempotency/crime_recording_met.h"
#include "integration-tests/idempotency/soc_disruptions_met.h"
#include "integration-tests/idempotency/victim_service_met.h"
#include "integration-tests/idempotency/workforce_met.h"

namespace {

TEST(CrimeRecording, ReplayedShuffledAndInterleavedBatchesGiveOnePassFigures) {
  const std::string bin = peel::testing::ServerBin(
      "PEEL_CRIME_RECORDING_BIN", PEEL_CRIME_RECORDING_BIN_PATH);
  peel::reliability::CrimeRecordingMetDriver driver;
  auto r = peel::testing::RunReplay(
      driver, bin, "peel.crimerecording.v1.CrimeRecordingService");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->clean.empty());
  EXPECT_EQ(r->retried, r->clean);
  EXPECT_EQ(r->after_restart, r->clean);
}

TEST(VictimService, ReplayedShuffledAndInterleavedBatchesGiveOnePassFigures) {
  const std::string bin = peel::testing::ServerBin(
      "PEEL_VICTIM_SERVICE_BIN", PEEL_VICTIM_SERVICE_BIN_PATH);
  peel::reliability::VictimServiceMetDriver driver;
  auto r = peel::testing::RunReplay(driver, bin,
                                    "peel.victimservice.v1.VictimService");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->clean.empty());
  EXPECT_EQ(r->retried, r->clean);
  EXPECT_EQ(r->after_restart, r->clean);
}

TEST(Workforce, ReplayedShuffledAndInterleavedBatchesGiveOnePassFigures) {
  const std::string bin =
      peel::testing::ServerBin("PEEL_WORKFORCE_BIN", PEEL_WORKFORCE_BIN_PATH);
  peel::reliability::WorkforceMetDriver driver;
  auto r = peel::testing::RunReplay(driver, bin,
                                    "peel.workforce.v1.WorkforceService");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->clean.empty());
  EXPECT_EQ(r->retried, r->clean);
  EXPECT_EQ(r->after_restart, r->clean);
}

TEST(SocDisruptions, ReplayedShuffledAndInterleavedBatchesGiveOnePassFigures) {
  const std::string bin = peel::testing::ServerBin(
      "PEEL_SOC_DISRUPTIONS_BIN", PEEL_SOC_DISRUPTIONS_BIN_PATH);
  peel::reliability::SocDisruptionsMetDriver driver;
  auto r =
      peel::testing::RunReplay(driver, bin, "peel.soc.v1.SocDisruptionService");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_FALSE(r->clean.empty());
  EXPECT_EQ(r->retried, r->clean);
  EXPECT_EQ(r->after_restart, r->clean);
}

}  // namespace
