// The bad-input sweep every store service runs (issue 10): tables of
// spoiled records and requests, each expected to be refused naming the
// field, with the service's state (data version and figures) unchanged;
// empty, over-long and oversized batches refused; a deadline shorter than a
// batch's work leaving the batch all written or not at all.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/testing/batch_client.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "peel/common/v1/common.pb.h"

namespace peel::reliability {

// The BadRequest field violations a status carries, by field name.
inline std::vector<std::string> ViolationFields(const grpc::Status& s) {
  google::rpc::Status st;
  std::vector<std::string> out;
  if (!st.ParseFromString(s.error_details())) return out;
  for (const auto& any : st.details()) {
    google::rpc::BadRequest br;
    if (!any.UnpackTo(&br)) continue;
    for (const auto& v : br.field_violations()) out.push_back(v.field());
  }
  return out;
}

inline bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A spoiled copy of a valid record and the field it must be refused for.
template <typename Record>
struct RecordCase {
  // Relative to the record, e.g. "answered.answer_ms"; "id" for an id
  // already stored with other content (the services name it "id").
  std::string field;
  std::function<void(Record*)> spoil;
};

// A unary call with bad input and what it must answer.
struct UnaryCase {
  std::string name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT;
  std::string field;  // the BadRequest violation; empty: none expected
};

// One ingest method of a service.
template <typename Batch, typename Record>
struct Ingest {
  using Stream = grpc::ClientReaderWriter<Batch, peel::common::v1::BatchAck>;
  std::string list_field;  // the batch's repeated field, e.g. "calls"
  std::function<std::unique_ptr<Stream>(grpc::ClientContext*)> open;
  // A batch of these records (sets the parent id where there is one).
  std::function<Batch(std::vector<Record>)> batch_of;
  // A valid record nobody has sent yet, distinct for each n.
  std::function<Record(int n)> fresh;

  absl::StatusOr<std::vector<peel::common::v1::BatchAck>> Send(
      const Batch& b,
      std::chrono::seconds deadline = std::chrono::seconds(60)) const {
    return peel::testing::SendBatches<Batch>(open, {b}, deadline);
  }
};

// The service's observable state: its data version and figures.
using StateFn = std::function<std::string()>;

template <typename Batch, typename Record>
void ExpectRecordsRefused(const Ingest<Batch, Record>& ingest,
                          const std::vector<RecordCase<Record>>& cases,
                          const StateFn& state) {
  int n = 1000;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    const std::string before = state();
    Record r = ingest.fresh(++n);
    c.spoil(&r);
    auto acks = ingest.Send(ingest.batch_of({r}));
    ASSERT_TRUE(acks.ok()) << acks.status();
    ASSERT_EQ(acks->size(), 1u);
    const auto& ack = (*acks)[0];
    EXPECT_EQ(ack.rejected(), 1);
    EXPECT_EQ(ack.accepted(), 0);
    ASSERT_EQ(ack.results_size(), 1);
    EXPECT_EQ(ack.results(0).outcome(),
              peel::common::v1::RecordResult::REJECTED);
    std::vector<std::string> fields;
    for (const auto& v : ack.results(0).violations()) {
      fields.push_back(v.field());
    }
    const std::string want =
        c.field == "id" ? c.field
                        : absl::StrCat(ingest.list_field, "[0].", c.field);
    EXPECT_TRUE(Contains(fields, want))
        << "want " << want << ", got " << absl::StrJoin(fields, ", ");
    EXPECT_EQ(state(), before) << "a rejected record changed the state";
  }
}

inline void ExpectUnaryRefused(const std::vector<UnaryCase>& cases,
                               const StateFn& state) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string before = state();
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), c.code) << s.error_message();
    if (!c.field.empty()) {
      const auto fields = ViolationFields(s);
      EXPECT_TRUE(Contains(fields, c.field))
          << "want " << c.field << ", got " << absl::StrJoin(fields, ", ")
          << " (" << s.error_message() << ")";
    }
    EXPECT_EQ(state(), before) << "a refused request changed the state";
  }
}

// Empty, over-long (more than 10,000 records) and oversized (over the
// 16 MiB message limit) batches end the stream, storing nothing.
template <typename Batch, typename Record>
void ExpectBatchLimits(const Ingest<Batch, Record>& ingest,
                       const std::function<void(Record*, std::string)>& pad,
                       const StateFn& state) {
  const std::string before = state();
  auto empty = ingest.Send(ingest.batch_of({}));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument)
      << empty.status();

  std::vector<Record> many;
  for (int i = 0; i < 10001; ++i) many.push_back(ingest.fresh(100000 + i));
  auto too_many = ingest.Send(ingest.batch_of(many));
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kResourceExhausted)
      << too_many.status();

  Record big = ingest.fresh(99);
  pad(&big, std::string(17 << 20, 'x'));
  auto oversized = ingest.Send(ingest.batch_of({big}));
  EXPECT_EQ(oversized.status().code(), absl::StatusCode::kResourceExhausted)
      << oversized.status();
  EXPECT_EQ(state(), before);
}

// A batch of 10,000 new records under a deadline far shorter than its work:
// DEADLINE_EXCEEDED, and the batch is all written or not at all. Resending
// it accepts every record or finds every one already stored, never a mix;
// the state seen just after the deadline is the state before or the state
// with the whole batch; a further resend changes nothing.
template <typename Batch, typename Record>
void ExpectDeadlineLeavesNoPartialWrite(const Ingest<Batch, Record>& ingest,
                                        const StateFn& state) {
  constexpr int kRecords = 10000;
  std::vector<Record> records;
  for (int i = 0; i < kRecords; ++i) {
    records.push_back(ingest.fresh(200000 + i));
  }
  const Batch batch = ingest.batch_of(records);
  const std::string before = state();
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::milliseconds(2));
  auto stream = ingest.open(&ctx);
  peel::common::v1::BatchAck ack;
  const bool acked = stream->Write(batch) && stream->Read(&ack);
  grpc::Status s = stream->Finish();
  EXPECT_FALSE(acked) << "the batch beat a 2 ms deadline: make it bigger";
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << s.error_message();
  const std::string just_after = state();

  auto resent = ingest.Send(batch);
  ASSERT_TRUE(resent.ok()) << resent.status();
  ASSERT_EQ(resent->size(), 1u);
  const auto& r = (*resent)[0];
  EXPECT_EQ(r.rejected(), 0);
  EXPECT_EQ(r.accepted() + r.duplicates(), kRecords);
  EXPECT_TRUE(r.accepted() == kRecords || r.duplicates() == kRecords)
      << "partial write: " << r.duplicates() << " of " << kRecords
      << " were already stored";
  const std::string with_batch = state();
  EXPECT_NE(with_batch, before);
  EXPECT_TRUE(just_after == before || just_after == with_batch)
      << "the state just after the deadline is neither before nor with the "
         "whole batch";

  auto again = ingest.Send(batch);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)[0].duplicates(), kRecords);
  EXPECT_EQ(state(), with_batch);
}

}  // namespace peel::reliability
