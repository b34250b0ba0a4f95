// Crash safety of workforce: person records streamed while the server is
// SIGKILLed at random moments (common/testing/crash_loop.h); the profile's
// headcounts, joiners, leavers and shares must equal the client's own count
// of the records it had acknowledged, each person once, and the people
// acknowledged just before each kill must be stored.
#include <cstdlib>
#include <random>

#include "absl/strings/str_format.h"
#include "common/testing/crash_loop.h"
#include "common/testing/server_bin.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "gtest/gtest.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"

namespace {

namespace v1 = ::peel::workforce::v1;
using peel::common::v1::BatchAck;

constexpr char kForce[] = "kent";
constexpr char kAsOf[] = "2022-03-31";

std::string PersonId(int i) { return absl::StrFormat("c0ffee%026x", i); }

// Person i: police staff when i % 4 == 0, else an officer (a sergeant when
// i % 10 == 1, else a constable); female when i % 5 < 2; Asian, Black or
// not stated for i % 7 == 0, 1, 2, else White; half-time when i % 8 == 3;
// joined (i * 37) % 2900 days after 2015-01-01 and, when i % 13 == 0, left
// 400 + i % 300 days later.
struct Person {
  bool officer, female, half_time, left;
  v1::EthnicGroup ethnic;
  int32_t joined, left_on;
};
Person PersonOf(int i) {
  static const int32_t base = peel::dates::DaysFromCivil(2015, 1, 1);
  Person p;
  p.officer = i % 4 != 0;
  p.female = i % 5 < 2;
  p.half_time = i % 8 == 3;
  const int e = i % 7;
  p.ethnic = e == 0   ? v1::ASIAN
             : e == 1 ? v1::BLACK
             : e == 2 ? v1::ETHNICITY_NOT_STATED
                      : v1::WHITE;
  p.joined = base + static_cast<int32_t>((int64_t{i} * 37) % 2900);
  p.left = i % 13 == 0;
  p.left_on = p.joined + 400 + i % 300;
  return p;
}

v1::PersonRecord RecordOf(int i) {
  const Person p = PersonOf(i);
  v1::PersonRecord r;
  r.set_force(kForce);
  r.set_person_id(PersonId(i));
  r.set_worker_type(p.officer ? v1::POLICE_OFFICER : v1::POLICE_STAFF);
  r.set_rank(!p.officer    ? v1::NO_RANK
             : i % 10 == 1 ? v1::SERGEANT
                           : v1::CONSTABLE);
  r.set_sex(p.female ? v1::FEMALE : v1::MALE);
  r.set_ethnic_group(p.ethnic);
  r.set_fte(p.half_time ? 0.5 : 1.0);
  r.set_date_joined(peel::dates::FormatIsoDate(p.joined));
  if (p.left) {
    r.set_date_left(peel::dates::FormatIsoDate(p.left_on));
    r.set_leaver_type(v1::VOLUNTARY_RESIGNATION);
  }
  return r;
}

struct WorkforceDriver {
  using Stub = v1::WorkforceService::Stub;
  using Batch = v1::PersonRecordBatch;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) {
    return v1::WorkforceService::NewStub(c);
  }
  absl::Status Prepare(Stub&) { return absl::OkStatus(); }
  Batch MakeBatch(uint64_t sequence, int first, int end) {
    Batch b;
    b.set_sequence(sequence);
    for (int i = first; i < end; ++i) *b.add_records() = RecordOf(i);
    return b;
  }
  std::unique_ptr<grpc::ClientReaderWriter<Batch, BatchAck>> Open(
      Stub& stub, grpc::ClientContext* ctx) {
    return stub.IngestPersonRecords(ctx);
  }
};

struct Counts {
  int64_t headcount = 0, fte_halves = 0, female = 0, minority = 0, stated = 0,
          start = 0, joiners = 0, leavers = 0;
};

void ExpectFigures(const v1::WorkforceFigures& f, const Counts& want) {
  EXPECT_EQ(f.headcount(), want.headcount);
  EXPECT_DOUBLE_EQ(f.fte(), want.fte_halves / 2.0);
  EXPECT_EQ(f.female_share().ratio().numerator(), want.female);
  EXPECT_EQ(f.ethnic_minority_share().ratio().numerator(), want.minority);
  EXPECT_EQ(f.ethnic_minority_share().ratio().denominator(), want.stated);
  EXPECT_EQ(f.headcount_at_start(), want.start);
  EXPECT_EQ(f.joiners(), want.joiners);
  EXPECT_EQ(f.leavers(), want.leavers);
}

TEST(Workforce, KilledServerLosesNothingAcknowledgedAndCountsNothingTwice) {
  const std::string bin =
      peel::testing::ServerBin("PEEL_WORKFORCE_BIN", PEEL_WORKFORCE_BIN_PATH);
  peel::testing::TempDir dir("crash-workforce");
  peel::testing::CrashLoopOptions o;
  o.binary = bin;
  o.service_name = "peel.workforce.v1.WorkforceService";
  o.data_dir = dir.Sub("data");
  o.work_dir = dir.path();
  o.kills = peel::testing::CrashKillsFromEnv();
  o.extra_args = peel::testing::CrashServerArgsFromEnv();
  WorkforceDriver driver;
  auto run = peel::testing::RunCrashLoop(driver, o);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->kills, o.kills);

  // The client's own count: [0] the workforce, [1] officers, [2] staff.
  const int32_t end = *peel::dates::ParseIsoDate(kAsOf);
  const int32_t start = peel::dates::AddMonths(end, -12);
  auto in_post = [](const Person& p, int32_t d) {
    return p.joined <= d && (!p.left || d < p.left_on);
  };
  Counts want[3];
  for (int i = 0; i < run->records; ++i) {
    const Person p = PersonOf(i);
    for (Counts* c : {&want[0], &want[p.officer ? 1 : 2]}) {
      if (in_post(p, end)) {
        ++c->headcount;
        c->fte_halves += p.half_time ? 1 : 2;
        if (p.female) ++c->female;
        if (p.ethnic != v1::ETHNICITY_NOT_STATED) ++c->stated;
        if (p.ethnic == v1::ASIAN || p.ethnic == v1::BLACK) ++c->minority;
      }
      if (in_post(p, start)) ++c->start;
      if (p.joined > start && p.joined <= end) ++c->joiners;
      if (p.left && p.left_on > start && p.left_on <= end) ++c->leavers;
    }
  }

  auto stub = WorkforceDriver::NewStub(grpc::CreateChannel(
      run->server->address(), grpc::InsecureChannelCredentials()));
  v1::GetWorkforceProfileRequest req;
  req.set_force(kForce);
  req.set_as_of(kAsOf);
  v1::WorkforceProfile profile;
  {
    grpc::ClientContext ctx;
    grpc::Status s = stub->GetWorkforceProfile(&ctx, req, &profile);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ExpectFigures(profile.workforce(), want[0]);
  ASSERT_EQ(profile.by_worker_type_size(), 2);
  for (const auto& f : profile.by_worker_type()) {
    SCOPED_TRACE(v1::WorkerType_Name(f.worker_type()));
    ExpectFigures(f, want[f.worker_type() == v1::POLICE_OFFICER ? 1 : 2]);
  }

  // The last batch acknowledged before each kill, and a random sample,
  // person by person.
  std::vector<int> check;
  for (int k : run->kill_points) {
    for (int i = std::max(0, k - o.batch_size); i < k; ++i) check.push_back(i);
  }
  std::mt19937 rng(5);
  for (int n = 0; n < 200; ++n) {
    check.push_back(
        std::uniform_int_distribution<int>(0, run->records - 1)(rng));
  }
  for (int i : check) {
    v1::GetPersonRequest get;
    get.set_force(kForce);
    get.set_person_id(PersonId(i));
    v1::PersonHistory h;
    grpc::ClientContext ctx;
    grpc::Status s = stub->GetPerson(&ctx, get, &h);
    ASSERT_TRUE(s.ok()) << "person " << i << ": " << s.error_message();
    ASSERT_EQ(h.versions_size(), 1) << "person " << i;
    const v1::PersonRecord want_record = RecordOf(i);
    EXPECT_EQ(h.versions(0).date_joined(), want_record.date_joined());
    EXPECT_EQ(h.versions(0).date_left(), want_record.date_left());
    EXPECT_EQ(h.versions(0).worker_type(), want_record.worker_type());
  }
  std::cout << "kills " << run->kills << ", records " << run->records
            << ", acknowledged batches " << run->acked_batches
            << ", duplicates on resend " << run->duplicates
            << ", people read back " << check.size() << "\n";
  if (HasFailure()) std::cerr << run->server->Log();
}

}  // namespace
