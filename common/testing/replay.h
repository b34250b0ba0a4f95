#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/testing/batch_client.h"
#include "common/testing/server_process.h"
#include "common/testing/temp_dir.h"
#include "grpcpp/grpcpp.h"

// Idempotency under retry, shared by every store service's test (issue 10):
// the same batches sent once in order to one server, and to another by two
// clients at once, each in its own shuffled order, then half of them a third
// time, must give byte-identical figures (also after a restart).
//
// A Driver describes one service:
//   using Stub = ...;
//   static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel>);
//   absl::Status Prepare(Stub&);  // unary set-up (audits, groups, ...)
//   std::vector<ReplayStream<Stub>> Streams();  // the batches to replay
//   absl::StatusOr<std::string> Figures(Stub&);  // serialized read RPCs
namespace peel::testing {

// One ingest method's batches, sendable in any order over one stream.
template <typename Stub>
struct ReplayStream {
  std::string name;
  size_t batches = 0;
  std::function<absl::Status(Stub&, const std::vector<size_t>& order)> send;
};

// `open(stub, ctx)` opens the ingest stream. A batch with any rejected
// record is an error: the fixture must be valid.
template <typename Stub, typename Batch, typename Open>
ReplayStream<Stub> MakeReplayStream(std::string name,
                                    std::vector<Batch> batches, Open open) {
  auto all = std::make_shared<const std::vector<Batch>>(std::move(batches));
  ReplayStream<Stub> r;
  r.name = name;
  r.batches = all->size();
  r.send = [all, open, name](Stub& stub,
                             const std::vector<size_t>& order) -> absl::Status {
    std::vector<Batch> ordered;
    ordered.reserve(order.size());
    for (size_t i : order) ordered.push_back((*all)[i]);
    auto acks = SendBatches<Batch>(
        [&](grpc::ClientContext* ctx) { return open(stub, ctx); }, ordered,
        std::chrono::seconds(120));
    if (!acks.ok()) return acks.status();
    if (acks->size() != ordered.size()) {
      return absl::InternalError(absl::StrCat(
          name, ": ", acks->size(), " acks for ", ordered.size(), " batches"));
    }
    for (const auto& a : *acks) {
      if (a.rejected() != 0) {
        return absl::InternalError(
            absl::StrCat(name, ": rejected ", a.ShortDebugString()));
      }
    }
    return absl::OkStatus();
  };
  return r;
}

// Calls a unary read RPC, `call(ctx, &answer)`, and appends the serialized
// answer to `out` (a Driver's Figures).
template <typename Answer, typename Call>
absl::Status AppendAnswer(Call call, std::string* out) {
  Answer answer;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  grpc::Status s = call(&ctx, &answer);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  out->append(answer.SerializeAsString());
  return absl::OkStatus();
}

struct ReplayResult {
  std::string clean;          // one pass, in order, one client
  std::string retried;        // two shuffled clients, then half again
  std::string after_restart;  // the retried server after SIGTERM + start
};

template <typename Driver>
absl::StatusOr<ReplayResult> RunReplay(Driver& driver,
                                       const std::string& binary,
                                       const std::string& service_name,
                                       uint32_t seed = 7) {
  ReplayResult result;
  TempDir dir("replay");
  auto start = [&](const std::string& name)
      -> absl::StatusOr<std::unique_ptr<ServerProcess>> {
    return ServerProcess::Start(
        {binary, service_name, dir.Sub(name + "-data"), dir.Sub(name), {}});
  };
  auto stub_for = [](const ServerProcess& s) {
    return Driver::NewStub(
        grpc::CreateChannel(s.address(), grpc::InsecureChannelCredentials()));
  };
  const auto streams = driver.Streams();
  auto in_order = [](size_t n) {
    std::vector<size_t> v(n);
    std::iota(v.begin(), v.end(), 0);
    return v;
  };

  std::filesystem::create_directories(dir.Sub("clean"));
  std::filesystem::create_directories(dir.Sub("retried"));
  {
    auto server = start("clean");
    if (!server.ok()) return server.status();
    auto stub = stub_for(**server);
    if (absl::Status s = driver.Prepare(*stub); !s.ok()) return s;
    for (const auto& st : streams) {
      if (absl::Status s = st.send(*stub, in_order(st.batches)); !s.ok()) {
        return s;
      }
    }
    auto figures = driver.Figures(*stub);
    if (!figures.ok()) return figures.status();
    result.clean = *std::move(figures);
  }

  auto server = start("retried");
  if (!server.ok()) return server.status();
  auto stub = stub_for(**server);
  if (absl::Status s = driver.Prepare(*stub); !s.ok()) return s;
  std::mt19937 rng(seed);
  // Each client's plan: the streams in a random order, each stream's
  // batches shuffled.
  auto plan = [&] {
    std::vector<std::pair<size_t, std::vector<size_t>>> p;
    for (size_t i = 0; i < streams.size(); ++i) {
      auto order = in_order(streams[i].batches);
      std::shuffle(order.begin(), order.end(), rng);
      p.emplace_back(i, std::move(order));
    }
    std::shuffle(p.begin(), p.end(), rng);
    return p;
  };
  const auto first_plan = plan(), second_plan = plan();
  absl::Status first_status, second_status;
  auto run = [&](const decltype(first_plan)& p, absl::Status* out) {
    for (const auto& [i, order] : p) {
      *out = streams[i].send(*stub, order);
      if (!out->ok()) return;
    }
  };
  std::thread a(run, std::cref(first_plan), &first_status);
  std::thread b(run, std::cref(second_plan), &second_status);
  a.join();
  b.join();
  if (!first_status.ok()) return first_status;
  if (!second_status.ok()) return second_status;
  for (const auto& [i, order] : first_plan) {
    const std::vector<size_t> half(order.begin(),
                                   order.begin() + order.size() / 2);
    if (absl::Status s = streams[i].send(*stub, half); !s.ok()) return s;
  }
  auto figures = driver.Figures(*stub);
  if (!figures.ok()) return figures.status();
  result.retried = *std::move(figures);

  if ((*server)->Terminate() != 0) {
    return absl::InternalError("server did not stop cleanly:\n" +
                               (*server)->Log());
  }
  server = start("retried");
  if (!server.ok()) return server.status();
  stub = stub_for(**server);
  figures = driver.Figures(*stub);
  if (!figures.ok()) return figures.status();
  result.after_restart = *std::move(figures);
  return result;
}

}  // namespace peel::testing
