#include "tools/peelctl/import/import_command.h"

#include <sys/stat.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "tools/peelctl/connection.h"
#include "tools/peelctl/import/batch_streamer.h"
#include "tools/peelctl/import/csv.h"
#include "tools/peelctl/import/progress.h"
#include "tools/peelctl/import/record_kinds.h"
#include "tools/peelctl/import/row_mapper.h"
#include "tools/peelctl/import/shard_router.h"
#include "tools/peelctl/import/unary_call.h"

namespace peel::peelctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using peel::common::v1::BatchAck;
using peel::common::v1::RecordResult;

std::string CsvQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The one repeated message field of a batch, or the one message field of a
// unary request: where the records go.
const FieldDescriptor* RecordField(const Descriptor* container) {
  const FieldDescriptor* found = nullptr;
  for (int i = 0; i < container->field_count(); ++i) {
    const FieldDescriptor* f = container->field(i);
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (found != nullptr) return nullptr;
      found = f;
    }
  }
  return found;
}

std::unique_ptr<Message> NewMessage(const Descriptor* d) {
  return std::unique_ptr<Message>(
      MessageFactory::generated_factory()->GetPrototype(d)->New());
}

// Rejected rows, written as the acks arrive.
class RejectLog {
 public:
  explicit RejectLog(const std::string& path) : path_(path) {}
  void Add(int64_t line, const std::string& id, const std::string& field,
           const std::string& reason) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!out_.is_open()) {
      out_.open(path_, std::ios::trunc);
      out_ << "line,id,field,reason\n";
    }
    out_ << line << "," << CsvQuote(id) << "," << CsvQuote(field) << ","
         << CsvQuote(reason) << "\n";
  }
  // A record dropped before it reached the service.
  void CountUnreadable() { ++unreadable_; }
  int64_t unreadable() const { return unreadable_; }
  bool empty() const { return !out_.is_open(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex mu_;
  std::ofstream out_;
  int64_t unreadable_ = 0;
};

// Reads records from CSV or JSON and hands each, with its line number, to
// `emit`. Bad rows go to `rejects`.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Fills `record` (cleared by the caller); false at end of input.
  virtual bool Next(Message* record, int64_t* line, RejectLog* rejects) = 0;
  virtual int64_t bytes_read() const = 0;
  virtual int64_t rows() const = 0;
};

class CsvSource : public RecordSource {
 public:
  static absl::StatusOr<std::unique_ptr<CsvSource>> Open(
      const std::string& path, const Descriptor* record) {
    auto src = std::unique_ptr<CsvSource>(new CsvSource());
    src->in_.open(path, std::ios::binary);
    if (!src->in_) {
      return absl::NotFoundError(absl::StrCat("cannot read ", path));
    }
    auto reader = CsvReader::Open(&src->in_);
    if (!reader.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", reader.status().message()));
    }
    src->reader_ = std::make_unique<CsvReader>(std::move(*reader));
    auto mapper = RowMapper::Create(record, src->reader_->header());
    if (!mapper.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", mapper.status().message()));
    }
    src->mapper_ = std::make_unique<RowMapper>(std::move(*mapper));
    return src;
  }

  bool Next(Message* record, int64_t* line, RejectLog* rejects) override {
    while (true) {
      if (!have_row_ && !Read()) return false;
      have_row_ = false;
      *line = row_line_;
      // The id groups continuation rows; otherwise only a reject needs it.
      const bool grouped = mapper_->has_repeated_element();
      std::string id = grouped ? Id() : std::string();
      std::vector<CellError> errors;
      if (row_.size() != reader_->header().size()) {
        errors.push_back(
            {"", absl::StrCat("expected ", reader_->header().size(),
                              " fields, found ", row_.size())});
      } else {
        mapper_->Apply(row_, false, record, &errors);
      }
      // Later rows of the same record (a repeated group such as crimes).
      while (mapper_->has_repeated_element() && Read()) {
        if (Id() != id || id.empty() ||
            row_.size() != reader_->header().size()) {
          have_row_ = true;
          break;
        }
        mapper_->Apply(row_, true, record, &errors);
      }
      if (errors.empty()) return true;
      if (!grouped) id = Id();
      for (const auto& e : errors) rejects->Add(*line, id, e.column, e.reason);
      rejects->CountUnreadable();
      record->Clear();
    }
  }
  int64_t bytes_read() const override { return reader_->bytes_read(); }
  int64_t rows() const override { return rows_; }

 private:
  CsvSource() = default;
  bool Read() {
    if (!reader_->Next(&row_, &row_line_)) return false;
    ++rows_;
    return true;
  }
  std::string Id() const {
    const int c = mapper_->id_column();
    return c >= 0 && c < static_cast<int>(row_.size()) ? row_[c] : "";
  }

  std::ifstream in_;
  std::unique_ptr<CsvReader> reader_;
  std::unique_ptr<RowMapper> mapper_;
  std::vector<std::string> row_;
  int64_t row_line_ = 0;
  bool have_row_ = false;
  int64_t rows_ = 0;
};

// JSON: an array of records, or one record per line (JSON Lines).
class JsonSource : public RecordSource {
 public:
  static absl::StatusOr<std::unique_ptr<JsonSource>> Open(
      const std::string& path) {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    std::stringstream ss;
    ss << in.rdbuf();
    auto src = std::unique_ptr<JsonSource>(new JsonSource());
    const std::string text = ss.str();
    src->size_ = static_cast<int64_t>(text.size());
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '[') {
      // Split the top-level array into its objects.
      int depth = 0;
      bool in_string = false;
      size_t start = 0;
      int64_t line = 1, start_line = 1;
      for (size_t i = first + 1; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') ++line;
        if (in_string) {
          if (c == '\\')
            ++i;
          else if (c == '"')
            in_string = false;
          continue;
        }
        if (c == '"')
          in_string = true;
        else if (c == '{') {
          if (depth++ == 0) {
            start = i;
            start_line = line;
          }
        } else if (c == '}' && --depth == 0) {
          src->items_.push_back(
              {start_line, text.substr(start, i - start + 1)});
        }
      }
    } else {
      std::istringstream lines(text);
      std::string l;
      int64_t n = 0;
      while (std::getline(lines, l)) {
        ++n;
        if (l.find_first_not_of(" \t\r") != std::string::npos) {
          src->items_.push_back({n, l});
        }
      }
    }
    return src;
  }

  bool Next(Message* record, int64_t* line, RejectLog* rejects) override {
    while (next_ < items_.size()) {
      const auto& [l, json] = items_[next_++];
      *line = l;
      auto s = google::protobuf::util::JsonStringToMessage(json, record);
      if (s.ok()) return true;
      rejects->Add(l, "", "", std::string(s.message()));
      rejects->CountUnreadable();
      record->Clear();
    }
    return false;
  }
  int64_t bytes_read() const override {
    return items_.empty() ? size_ : size_ * next_ / items_.size();
  }
  int64_t rows() const override { return static_cast<int64_t>(next_); }

 private:
  std::vector<std::pair<int64_t, std::string>> items_;
  size_t next_ = 0;
  int64_t size_ = 0;
};

std::string RecordIdOf(const Message& record) {
  const Descriptor* d = record.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING && !f->is_repeated() &&
        absl::EndsWith(f->name(), "_id")) {
      return record.GetReflection()->GetString(record, f);
    }
  }
  return "";
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

}  // namespace

std::string DescribeKinds(bool with_columns) {
  std::string out;
  for (const auto& k : RecordKinds()) {
    absl::StrAppend(&out, "  ", k.name,
                    std::string(22 - std::min<size_t>(21, k.name.size()), ' '),
                    k.summary, " [", k.service, "]\n");
    if (!with_columns) continue;
    const auto* m = MethodOf(k);
    if (m == nullptr) continue;
    const FieldDescriptor* rf = RecordField(m->input_type());
    if (rf == nullptr) continue;
    absl::StrAppend(&out, "      columns: ",
                    absl::StrJoin(RowMapper::Paths(rf->message_type()), ", "),
                    "\n");
  }
  return out;
}

absl::Status RunImport(const ImportOptions& o, ImportCounts* counts) {
  const RecordKind* kind = FindRecordKind(o.kind);
  if (kind == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown kind '", o.kind, "'; kinds:\n", DescribeKinds(false)));
  }
  const auto* method = MethodOf(*kind);
  if (method == nullptr) {
    return absl::InternalError(absl::StrCat(kind->method, " is not linked"));
  }
  const Descriptor* container = method->input_type();
  const FieldDescriptor* record_field = RecordField(container);
  if (record_field == nullptr) {
    return absl::InternalError(
        absl::StrCat(container->full_name(), " has no single record field"));
  }
  const Descriptor* record_type = record_field->message_type();
  const bool streaming = method->client_streaming();

  std::unique_ptr<RecordSource> source;
  if (absl::EndsWith(o.path, ".json") || absl::EndsWith(o.path, ".jsonl")) {
    auto s = JsonSource::Open(o.path);
    if (!s.ok()) return s.status();
    source = std::move(*s);
  } else {
    auto s = CsvSource::Open(o.path, record_type);
    if (!s.ok()) return s.status();
    source = std::move(*s);
  }

  // Batch-level fields (audit_id, force, ...) come from options.
  auto prototype = NewMessage(container);
  if (streaming) {
    for (int i = 0; i < container->field_count(); ++i) {
      const FieldDescriptor* f = container->field(i);
      if (f->type() != FieldDescriptor::TYPE_STRING) continue;
      auto it = o.batch_fields.find(f->name());
      if (it == o.batch_fields.end() || it->second.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("importing ", o.kind, " needs --",
                         f->name() == "audit_id"        ? "audit"
                         : f->name() == "assessment_id" ? "assessment"
                                                        : f->name(),
                         "=..."));
      }
      prototype->GetReflection()->SetString(prototype.get(), f, it->second);
    }
  }

  RejectLog rejects(o.path + ".rejected.csv");
  Progress progress(absl::StrCat("import ", o.kind), FileSize(o.path), o.quiet);
  // One shard (the suite's address) unless --shard_map names several.
  std::vector<server::ShardSpec> shards = o.shards;
  if (shards.empty()) shards.push_back({o.address, {}});
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (const auto& shard : shards) {
    channels.push_back(Dial(shard.address));
  }
  auto router = ShardRouter::Create(shards, method, *prototype, channels);
  if (!router.ok()) return router.status();
  const std::string rpc =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  int64_t unrouted = 0;  // records no shard owns (added to rejected last)
  auto unroutable = [&](int64_t line, const Message& record,
                        const std::string& why) {
    rejects.Add(line, RecordIdOf(record), "force", why);
    ++unrouted;
  };

  if (!streaming) {
    auto request = NewMessage(container);
    Message* record =
        request->GetReflection()->MutableMessage(request.get(), record_field);
    // A repeated create changes nothing and answers with the stored entity,
    // so a duplicate is told by the answer's `duplicate` flag where it has
    // one (RecordResponse) and otherwise by the service's data version not
    // moving (every service has GetDataVersion; DESIGN §2).
    const FieldDescriptor* duplicate_field =
        method->output_type()->FindFieldByName("duplicate");
    if (duplicate_field != nullptr &&
        duplicate_field->type() != FieldDescriptor::TYPE_BOOL) {
      duplicate_field = nullptr;
    }
    const std::string version_rpc =
        absl::StrCat("/", method->service()->full_name(), "/GetDataVersion");
    auto data_version = [&](int shard) -> uint64_t {
      peel::common::v1::DataVersion v;
      if (!CallUnary(channels[shard], version_rpc,
                     peel::common::v1::DataVersionRequest(), &v)
               .ok()) {
        return 0;
      }
      return v.version();
    };
    auto response = NewMessage(method->output_type());
    int64_t line;
    while (source->Next(record, &line, &rejects)) {
      ++counts->records;
      std::string why;
      const int shard = router->ShardOf(*record, &why);
      if (shard < 0) {
        unroutable(line, *record, why);
        record->Clear();
        continue;
      }
      const uint64_t before = duplicate_field ? 0 : data_version(shard);
      response->Clear();
      grpc::Status status =
          CallUnary(channels[shard], rpc, *request, response.get());
      bool duplicate = false;
      if (status.ok() && duplicate_field != nullptr) {
        duplicate =
            response->GetReflection()->GetBool(*response, duplicate_field);
      } else if (status.ok()) {
        duplicate = before != 0 && data_version(shard) == before;
      }
      if (status.ok() && duplicate) {
        ++counts->duplicates;
      } else if (status.ok()) {
        ++counts->accepted;
      } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        return absl::UnavailableError(
            absl::StrCat(kind->service, " at ", shards[shard].address,
                         " is unreachable: ", status.error_message()));
      } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
        // No row can pass without an identity: stop, do not reject each.
        return absl::UnauthenticatedError(
            absl::StrCat(kind->service, " at ", shards[shard].address, ": ",
                         status.error_message()));
      } else {
        rejects.Add(line, RecordIdOf(*record), "", status.error_message());
        ++counts->rejected;
      }
      record->Clear();
      progress.Update(source->bytes_read(), source->rows());
    }
  } else {
    std::mutex lines_mu;
    std::unordered_map<uint64_t, std::vector<int64_t>> lines_of_batch;
    auto on_ack = [&](const BatchAck& ack) {
      std::lock_guard<std::mutex> lock(lines_mu);
      std::vector<int64_t> lines;
      auto it = lines_of_batch.find(ack.sequence());
      if (it != lines_of_batch.end()) {
        lines = std::move(it->second);
        lines_of_batch.erase(it);
      }
      counts->accepted += ack.accepted();
      counts->duplicates += ack.duplicates();
      for (const auto& r : ack.results()) {
        if (r.outcome() != RecordResult::REJECTED) continue;
        const int64_t line =
            r.index() < static_cast<int>(lines.size()) ? lines[r.index()] : 0;
        for (const auto& v : r.violations()) {
          rejects.Add(line, r.id(), v.field(), v.description());
        }
        if (r.violations().empty()) rejects.Add(line, r.id(), "", "");
        ++counts->rejected;
      }
    };
    // One stream and one batch being filled per shard, opened on the
    // shard's first record.
    struct Lane {
      std::unique_ptr<BatchStreamer> streamer;
      std::unique_ptr<Message> batch;
      std::vector<int64_t> lines;
    };
    std::vector<Lane> lanes(shards.size());
    const auto* reflection = prototype->GetReflection();
    const FieldDescriptor* seq = container->FindFieldByName("sequence");
    uint64_t sequence = 0;  // across shards: acks are matched by it
    bool stream_ok = true;
    auto open = [&](int s) -> Lane& {
      Lane& lane = lanes[s];
      if (lane.streamer == nullptr) {
        lane.streamer = std::make_unique<BatchStreamer>(
            channels[s], rpc, o.window, absl::Hours(1), on_ack);
        lane.batch = NewMessage(container);
        lane.batch->CopyFrom(*prototype);
      }
      return lane;
    };
    auto flush = [&](Lane& lane) {
      if (lane.lines.empty()) return;
      ++sequence;
      if (seq != nullptr)
        reflection->SetUInt64(lane.batch.get(), seq, sequence);
      {
        std::lock_guard<std::mutex> lock(lines_mu);
        lines_of_batch[sequence] = std::move(lane.lines);
      }
      lane.lines.clear();
      if (!lane.streamer->Send(lane.batch->SerializeAsString())) {
        stream_ok = false;
      }
      reflection->ClearField(lane.batch.get(), record_field);
    };
    int64_t line;
    if (router->fixed_shard() >= 0) {
      // Every record to one shard: parse straight into its batch.
      Lane& lane = open(router->fixed_shard());
      Message* record = reflection->AddMessage(lane.batch.get(), record_field);
      while (stream_ok && source->Next(record, &line, &rejects)) {
        ++counts->records;
        lane.lines.push_back(line);
        if (static_cast<int>(lane.lines.size()) >= o.batch_size) flush(lane);
        record = reflection->AddMessage(lane.batch.get(), record_field);
        progress.Update(source->bytes_read(), source->rows());
      }
      reflection->RemoveLast(lane.batch.get(), record_field);  // unused one
    } else {
      // By each record's force: parse, then move into its shard's batch.
      auto record = NewMessage(record_field->message_type());
      while (stream_ok && source->Next(record.get(), &line, &rejects)) {
        ++counts->records;
        std::string why;
        const int s = router->ShardOf(*record, &why);
        if (s < 0) {
          unroutable(line, *record, why);
          record->Clear();
          continue;
        }
        Lane& lane = open(s);
        Message* slot = reflection->AddMessage(lane.batch.get(), record_field);
        slot->GetReflection()->Swap(slot, record.get());
        record->Clear();
        lane.lines.push_back(line);
        if (static_cast<int>(lane.lines.size()) >= o.batch_size) flush(lane);
        progress.Update(source->bytes_read(), source->rows());
      }
    }
    grpc::Status status;
    for (size_t s = 0; s < lanes.size(); ++s) {
      Lane& lane = lanes[s];
      if (lane.streamer == nullptr) continue;
      if (stream_ok) flush(lane);
      grpc::Status st = lane.streamer->Finish();
      if (!st.ok() && status.ok()) {
        status = grpc::Status(st.error_code(),
                              shards.size() > 1
                                  ? absl::StrCat("shard ", shards[s].address,
                                                 ": ", st.error_message())
                                  : st.error_message());
      }
    }
    if (!status.ok()) {
      counts->rows = source->rows();
      counts->rejected += unrouted;
      const auto code = static_cast<absl::StatusCode>(status.error_code());
      return absl::Status(
          code, absl::StrCat(kind->service, ": ", status.error_message(),
                             code == absl::StatusCode::kUnavailable
                                 ? " (is the suite running? peelctl up)"
                                 : ""));
    }
  }
  counts->rows = source->rows();
  counts->rejected += rejects.unreadable() + unrouted;
  progress.Done(counts->rows);
  if (!rejects.empty() && !o.quiet) {
    std::cerr << "rejected rows and reasons: " << rejects.path() << "\n";
  }
  return absl::OkStatus();
}

}  // namespace peel::peelctl
