// Ingest benchmark (not a test): starts the real workforce binary on port 0
// with a fresh store, streams synthetic person records across the 43 forces
// (joining dates over 1985–2022, leavers, promotions as second versions)
// through IngestPersonRecords in batches, and prints records/s and the
// latency of GetWorkforceProfile (as at random dates) after the first
// 10^4 records and at the end.
//
//   workforce_bench --server=PATH_TO_WORKFORCE_BINARY
//       [--records=1000000] [--batch=1000] [--profiles=500] [--force_run=1]
//
// --people=N switches to the national shape of issue 4: N people in post on
// 2022-03-31 (joined over the 35 years before), the people who left in the
// --history_years (default 10) before it (7% of N a year, each with the
// career that preceded leaving), promotions within those years as second
// versions (a quarter of officers) and FTE changes (a tenth of everyone);
// --records is then ignored and the records generated are counted.
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "common/reference/forces.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "common/util/dates.h"
#include "grpcpp/grpcpp.h"
#include "peel/workforce/v1/workforce.grpc.pb.h"

namespace {

namespace v1 = ::peel::workforce::v1;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string server;
  std::string address;  // an already running server instead of --server
  int64_t records = 1000000;
  int batch = 1000;
  int profiles = 500;
  // People of one force generated in a row before moving to the next: 1
  // interleaves the forces person by person (the worst case for the day
  // rows a batch touches); a force's HR extract loaded as a whole is
  // closer to --force_run=5000.
  int64_t force_run = 1;
  // Pause between the end of an ingest and the profile calls, to tell
  // latency under RocksDB's post-ingest flush/compaction from steady state.
  int settle_ms = 0;
  // National shape (see the header): people in post at the end.
  int64_t people = 0;
  int history_years = 10;
};

bool ParseFlag(absl::string_view arg, absl::string_view name,
               std::string* value) {
  const std::string prefix = absl::StrFormat("--%s=", name);
  if (arg.substr(0, prefix.size()) != prefix) return false;
  *value = std::string(arg.substr(prefix.size()));
  return true;
}

// Generates records person by person; a person yields one or two records.
class Generator {
 public:
  Generator(int64_t force_run, int64_t people, int history_years)
      : force_run_(static_cast<uint64_t>(force_run)),
        in_post_(people),
        leavers_(people * 7 / 100 * history_years),
        history_years_(history_years) {
    for (const auto& f : peel::reference::AllForces()) {
      if (f.in_peel_scope) forces_.emplace_back(f.slug);
    }
  }
  const std::vector<std::string>& forces() const { return forces_; }

  int64_t in_post() const { return in_post_; }
  int64_t leavers() const { return leavers_; }

  // Appends one person's records; false once a national shape is complete.
  bool Next(std::vector<v1::PersonRecord>* out) {
    if (in_post_ > 0) return NextNational(out);
    NextAnyShape(out);
    return true;
  }

 private:
  v1::PersonRecord NewPerson(uint64_t n) {
    v1::PersonRecord r;
    r.set_force(forces_[(n / force_run_) % forces_.size()]);
    r.set_person_id(absl::StrFormat("%016x%016x", rng_(), n));
    const int kind = static_cast<int>(rng_() % 100);
    r.set_worker_type(kind < 60   ? v1::POLICE_OFFICER
                      : kind < 90 ? v1::POLICE_STAFF
                      : kind < 95 ? v1::PCSO
                      : kind < 98 ? v1::SPECIAL_CONSTABLE
                                  : v1::DESIGNATED_OFFICER);
    const bool ranked = r.worker_type() == v1::POLICE_OFFICER ||
                        r.worker_type() == v1::SPECIAL_CONSTABLE;
    r.set_rank(ranked ? v1::CONSTABLE : v1::NO_RANK);
    r.set_sex(rng_() % 3 == 0 ? v1::FEMALE : v1::MALE);
    r.set_ethnic_group(static_cast<v1::EthnicGroup>(1 + rng_() % 6));
    r.set_fte(rng_() % 5 == 0 ? 0.5 : 1.0);
    r.set_uplift_funded(rng_() % 10 == 0);
    r.set_high_risk_role(rng_() % 50 == 0);
    return r;
  }

  void NextAnyShape(std::vector<v1::PersonRecord>* out) {
    v1::PersonRecord r = NewPerson(person_++);
    const bool ranked = r.rank() != v1::NO_RANK;
    const int32_t first = peel::dates::DaysFromCivil(1985, 1, 1);
    const int32_t last = peel::dates::DaysFromCivil(2022, 3, 31);
    const int32_t joined =
        first +
        static_cast<int32_t>(rng_() % static_cast<uint64_t>(last - first));
    r.set_date_joined(peel::dates::FormatIsoDate(joined));
    if (rng_() % 10 < 3) {  // a leaver within 10 years of joining
      const int32_t left = joined + 1 + static_cast<int32_t>(rng_() % 3650);
      r.set_date_left(peel::dates::FormatIsoDate(left));
      r.set_leaver_type(static_cast<v1::LeaverType>(1 + rng_() % 6));
    }
    if (ranked && rng_() % 5 == 0) {  // promoted: a second version
      const int32_t span =
          (r.date_left().empty() ? last
                                 : *peel::dates::ParseIsoDate(r.date_left())) -
          joined;
      if (span > 2) {
        v1::PersonRecord first_version = r;
        out->push_back(first_version);
        r.set_effective_date(peel::dates::FormatIsoDate(
            joined + 1 + static_cast<int32_t>(rng_() % (span - 1))));
        r.set_rank(v1::SERGEANT);
      }
    }
    out->push_back(std::move(r));
  }

  // One person of the national shape: in post at the end, or a leaver in
  // the history years, drawn in proportion until both counts are made.
  bool NextNational(std::vector<v1::PersonRecord>* out) {
    const int64_t left_to_make =
        (in_post_ - made_in_post_) + (leavers_ - made_leavers_);
    if (left_to_make <= 0) return false;
    const bool leaver =
        static_cast<int64_t>(rng_() % static_cast<uint64_t>(left_to_make)) <
        leavers_ - made_leavers_;
    (leaver ? made_leavers_ : made_in_post_)++;
    v1::PersonRecord r = NewPerson(person_++);
    const int32_t end = peel::dates::DaysFromCivil(2022, 3, 31);
    const int32_t history_start = end - 365 * history_years_;
    int32_t left = end;
    if (leaver) {
      left = history_start +
             static_cast<int32_t>(rng_() %
                                  static_cast<uint64_t>(end - history_start));
    }
    const int32_t joined = left - 1 - static_cast<int32_t>(rng_() % (35 * 365));
    r.set_date_joined(peel::dates::FormatIsoDate(joined));
    if (leaver) {
      r.set_date_left(peel::dates::FormatIsoDate(left));
      r.set_leaver_type(static_cast<v1::LeaverType>(1 + rng_() % 6));
    }
    // A change within the history years (and after joining) as a second
    // version: a promotion for a quarter of officers, else an FTE change
    // for a tenth of everyone.
    const int32_t from = std::max(joined + 1, history_start);
    const bool promoted = r.rank() == v1::CONSTABLE && rng_() % 4 == 0;
    const bool fte_change = !promoted && rng_() % 10 == 0;
    if ((promoted || fte_change) && left - from > 2) {
      out->push_back(r);
      r.set_effective_date(peel::dates::FormatIsoDate(
          from + static_cast<int32_t>(rng_() %
                                      static_cast<uint64_t>(left - from - 1))));
      if (promoted) {
        r.set_rank(v1::SERGEANT);
      } else {
        r.set_fte(r.fte() == 1.0 ? 0.6 : 1.0);
      }
    }
    out->push_back(std::move(r));
    return true;
  }

  std::vector<std::string> forces_;
  uint64_t force_run_;
  int64_t in_post_;
  int64_t leavers_;
  int history_years_;
  int64_t made_in_post_ = 0;
  int64_t made_leavers_ = 0;
  std::mt19937_64 rng_{20220331};
  uint64_t person_ = 0;
};

// Streams `count` records (fewer if the generator runs out: *count is
// then what was made) in batches over one stream; writes run ahead of acks
// on a second thread. Returns seconds taken.
double Stream(v1::WorkforceService::Stub* stub, Generator* gen, int64_t* count,
              int batch_size, uint64_t* sequence) {
  std::vector<v1::PersonRecordBatch> batches;
  std::vector<v1::PersonRecord> pending;
  int64_t made = 0;
  while (made < *count) {
    pending.clear();
    if (!gen->Next(&pending)) break;
    for (auto& r : pending) {
      if (batches.empty() || batches.back().records_size() >= batch_size) {
        batches.emplace_back();
        batches.back().set_sequence(++*sequence);
      }
      *batches.back().add_records() = std::move(r);
      ++made;
    }
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::hours(1));
  const auto start = Clock::now();
  auto stream = stub->IngestPersonRecords(&ctx);
  std::thread writer([&] {
    for (const auto& b : batches) {
      if (!stream->Write(b)) break;
    }
    stream->WritesDone();
  });
  int64_t accepted = 0, rejected = 0;
  v1::PersonRecordBatch unused;
  peel::common::v1::BatchAck ack;
  for (size_t i = 0; i < batches.size() && stream->Read(&ack); ++i) {
    accepted += ack.accepted() + ack.duplicates();
    rejected += ack.rejected();
  }
  writer.join();
  *count = made;
  grpc::Status status = stream->Finish();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  if (!status.ok() || rejected != 0 || accepted != made) {
    std::fprintf(
        stderr, "stream failed: %s (accepted %lld of %lld, %lld rejected)\n",
        status.error_message().c_str(), static_cast<long long>(accepted),
        static_cast<long long>(made), static_cast<long long>(rejected));
    std::exit(EXIT_FAILURE);
  }
  return seconds;
}

void Profiles(v1::WorkforceService::Stub* stub, const Generator& gen, int count,
              int64_t loaded, int settle_ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(settle_ms));
  std::mt19937_64 rng(7);
  std::vector<double> ms;
  const int32_t first = peel::dates::DaysFromCivil(2012, 4, 1);
  const int32_t last = peel::dates::DaysFromCivil(2022, 3, 31);
  for (int i = 0; i < count; ++i) {
    v1::GetWorkforceProfileRequest req;
    req.set_force(gen.forces()[rng() % gen.forces().size()]);
    req.set_as_of(peel::dates::FormatIsoDate(
        first +
        static_cast<int32_t>(rng() % static_cast<uint64_t>(last - first))));
    v1::WorkforceProfile resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    const auto start = Clock::now();
    grpc::Status s = stub->GetWorkforceProfile(&ctx, req, &resp);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start)
                     .count());
    if (!s.ok()) {
      std::fprintf(stderr, "profile failed: %s\n", s.error_message().c_str());
      std::exit(EXIT_FAILURE);
    }
  }
  const double first_ms = ms.front();
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  std::printf(
      "profile latency at %lld records (%d calls, random force and date, "
      "client-side over gRPC): p50 %.3f ms, p99 %.3f ms, max %.3f ms "
      "(first call %.3f ms)\n",
      static_cast<long long>(loaded), count, pct(0.5), pct(0.99), ms.back(),
      first_ms);
}

}  // namespace

int main(int argc, char** argv) {
  // Without glibc fastbins in this client: freeing a million generated
  // records otherwise leaves a heap whose first large allocation runs a
  // malloc_consolidate of 50-280 ms, which showed up as the first profile
  // call's latency.
  mallopt(M_MXFAST, 0);
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (ParseFlag(argv[i], "server", &v)) {
      o.server = v;
    } else if (ParseFlag(argv[i], "address", &v)) {
      o.address = v;
    } else if (ParseFlag(argv[i], "records", &v)) {
      if (!absl::SimpleAtoi(v, &o.records)) return EXIT_FAILURE;
    } else if (ParseFlag(argv[i], "batch", &v)) {
      if (!absl::SimpleAtoi(v, &o.batch)) return EXIT_FAILURE;
    } else if (ParseFlag(argv[i], "force_run", &v)) {
      if (!absl::SimpleAtoi(v, &o.force_run) || o.force_run < 1) {
        return EXIT_FAILURE;
      }
    } else if (ParseFlag(argv[i], "settle_ms", &v)) {
      if (!absl::SimpleAtoi(v, &o.settle_ms)) return EXIT_FAILURE;
    } else if (ParseFlag(argv[i], "people", &v)) {
      if (!absl::SimpleAtoi(v, &o.people) || o.people < 0) return EXIT_FAILURE;
    } else if (ParseFlag(argv[i], "history_years", &v)) {
      if (!absl::SimpleAtoi(v, &o.history_years) || o.history_years < 1 ||
          o.history_years > 30) {
        return EXIT_FAILURE;
      }
    } else if (ParseFlag(argv[i], "profiles", &v)) {
      if (!absl::SimpleAtoi(v, &o.profiles)) return EXIT_FAILURE;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return EXIT_FAILURE;
    }
  }
  if (o.server.empty() == o.address.empty()) {
    std::fprintf(stderr,
                 "usage: workforce_bench --server=PATH|--address=HOST:PORT "
                 "[--records=N] "
                 "[--batch=N] [--profiles=N] [--force_run=N] "
                 "[--people=N [--history_years=10]]\n");
    return EXIT_FAILURE;
  }
  peel::testing::TempDir dir("workforce-bench");
  std::unique_ptr<peel::testing::ServerProcess> server;
  if (o.address.empty()) {
    auto started = peel::testing::ServerProcess::Start(
        {o.server,
         "peel.workforce.v1.WorkforceService",
         dir.Sub("data"),
         dir.path(),
         {}});
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
      return EXIT_FAILURE;
    }
    server = std::move(*started);
    o.address = server->address();
  }
  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 << 20);
  auto stub = v1::WorkforceService::NewStub(grpc::CreateCustomChannel(
      o.address, grpc::InsecureChannelCredentials(), args));

  Generator gen(o.force_run, o.people, o.history_years);
  if (o.people > 0) {
    o.records = std::numeric_limits<int64_t>::max();
    std::printf(
        "national shape: %lld people in post on 2022-03-31 and %lld who left "
        "in the %d years before, with promotions and FTE changes\n",
        static_cast<long long>(gen.in_post()),
        static_cast<long long>(gen.leavers()), o.history_years);
  }
  uint64_t sequence = 0;
  int64_t first = std::min<int64_t>(10000, o.records);
  double seconds = Stream(stub.get(), &gen, &first, o.batch, &sequence);
  double total_seconds = seconds;
  std::printf("ingest: %lld records in %.2f s = %.0f records/s\n",
              static_cast<long long>(first), seconds, first / seconds);
  Profiles(stub.get(), gen, o.profiles, first, o.settle_ms);
  int64_t rest = o.records - first;
  if (rest > 0) {
    seconds = Stream(stub.get(), &gen, &rest, o.batch, &sequence);
    total_seconds += seconds;
    o.records = first + rest;
    std::printf("ingest: %lld more records in %.2f s = %.0f records/s\n",
                static_cast<long long>(rest), seconds, rest / seconds);
    Profiles(stub.get(), gen, o.profiles, o.records, o.settle_ms);
  }
  std::printf("load: %lld records in %.2f s of streaming in all\n",
              static_cast<long long>(o.records), total_seconds);
  if (server) {
    // Restart on the same store: the counter mirror is rebuilt from the
    // day rows; the same profile must come back.
    v1::GetWorkforceProfileRequest req;
    req.set_force("metropolitan");
    req.set_as_of("2021-03-31");
    auto profile = [&](v1::WorkforceService::Stub* s) {
      v1::WorkforceProfile p;
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
      s->GetWorkforceProfile(&ctx, req, &p);
      return p.SerializeAsString();
    };
    const std::string before = profile(stub.get());
    server->Terminate();
    const auto start = Clock::now();
    auto again = peel::testing::ServerProcess::Start(
        {o.server,
         "peel.workforce.v1.WorkforceService",
         dir.Sub("data"),
         dir.path(),
         {}});
    if (!again.ok()) {
      std::fprintf(stderr, "%s\n", again.status().ToString().c_str());
      return EXIT_FAILURE;
    }
    server = std::move(*again);
    std::printf("restart on the same store: SERVING after %.2f s\n",
                std::chrono::duration<double>(Clock::now() - start).count());
    auto stub2 = v1::WorkforceService::NewStub(grpc::CreateChannel(
        server->address(), grpc::InsecureChannelCredentials()));
    if (profile(stub2.get()) != before) {
      std::fprintf(stderr, "profile differs after restart\n");
      return EXIT_FAILURE;
    }
    server->Terminate();
    // The machine may be shared: the server's own CPU time tells what the
    // ingest costs whatever else is running.
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    const double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf(
        "server CPU time over the whole run (ingest of %lld records, %d "
        "profiles, one restart): %.2f s = %.0f records per CPU-second; "
        "peak server RSS %.0f MB\n",
        static_cast<long long>(o.records), 2 * o.profiles, cpu, o.records / cpu,
        usage.ru_maxrss / 1024.0);
  }
  return EXIT_SUCCESS;
}
