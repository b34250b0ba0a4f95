#include "tools/peelctl/import/shard_router.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/peelctl/import/unary_call.h"

namespace peel::peelctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;

const FieldDescriptor* StringField(const Descriptor* d, const char* name) {
  const FieldDescriptor* f = d->FindFieldByName(name);
  return f != nullptr && f->type() == FieldDescriptor::TYPE_STRING &&
                 !f->is_repeated()
             ? f
             : nullptr;
}

// "audit_id" -> "GetAudit".
std::string GetterFor(const std::string& id_field) {
  std::string out = "Get";
  for (absl::string_view part : absl::StrSplit(
           absl::string_view(id_field).substr(0, id_field.size() - 3), '_')) {
    if (part.empty()) continue;
    out += absl::ascii_toupper(part[0]);
    out.append(part.data() + 1, part.size() - 1);
  }
  return out;
}

std::string ForceOf(const Message& m, const FieldDescriptor* f) {
  return m.GetReflection()->GetString(m, f);
}

}  // namespace

absl::StatusOr<ShardRouter> ShardRouter::Create(
    const std::vector<server::ShardSpec>& shards,
    const google::protobuf::MethodDescriptor* method, const Message& batch,
    const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
  ShardRouter r;
  r.shards_ = shards;
  if (shards.size() == 1) {
    r.fixed_ = 0;
    return r;
  }
  const Descriptor* container = method->input_type();
  // The one message field holds the record(s).
  const Descriptor* record = nullptr;
  for (int i = 0; i < container->field_count(); ++i) {
    if (container->field(i)->type() == FieldDescriptor::TYPE_MESSAGE) {
      record = container->field(i)->message_type();
    }
  }
  if (record != nullptr) r.force_ = StringField(record, "force");
  if (r.force_ != nullptr) return r;

  // A batch for one force.
  if (const FieldDescriptor* f = StringField(container, "force")) {
    const std::string force = ForceOf(batch, f);
    r.fixed_ = server::ShardOwning(shards, force);
    if (r.fixed_ < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("no shard of --shard_map owns force '", force, "'"));
    }
    return r;
  }
  // A batch for one audit or assessment: the shard that holds it.
  for (int i = 0; i < container->field_count(); ++i) {
    const FieldDescriptor* id = container->field(i);
    if (id->type() != FieldDescriptor::TYPE_STRING ||
        !absl::EndsWith(id->name(), "_id")) {
      continue;
    }
    const auto* getter =
        method->service()->FindMethodByName(GetterFor(id->name()));
    if (getter == nullptr) continue;
    const FieldDescriptor* key =
        StringField(getter->input_type(), id->name().c_str());
    const FieldDescriptor* force = StringField(getter->output_type(), "force");
    if (key == nullptr || force == nullptr) continue;
    const std::string value = ForceOf(batch, id);
    auto* factory = MessageFactory::generated_factory();
    std::unique_ptr<Message> request(
        factory->GetPrototype(getter->input_type())->New());
    request->GetReflection()->SetString(request.get(), key, value);
    const std::string rpc =
        absl::StrCat("/", method->service()->full_name(), "/", getter->name());
    std::vector<std::string> asked;
    for (size_t s = 0; s < shards.size(); ++s) {
      std::unique_ptr<Message> answer(
          factory->GetPrototype(getter->output_type())->New());
      grpc::Status st = CallUnary(channels[s], rpc, *request, answer.get());
      if (st.ok()) {
        r.fixed_ = static_cast<int>(s);
        return r;
      }
      if (st.error_code() != grpc::StatusCode::NOT_FOUND) {
        return absl::UnavailableError(absl::StrCat("shard ", shards[s].address,
                                                   ": ", st.error_message()));
      }
      asked.push_back(shards[s].address);
    }
    return absl::NotFoundError(absl::StrCat("no shard holds ", id->name(), " '",
                                            value, "' (asked ",
                                            absl::StrJoin(asked, ", "), ")"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      record == nullptr ? container->full_name() : record->full_name(),
      " names no force: it cannot be routed by --shard_map"));
}

int ShardRouter::ShardOf(const Message& record, std::string* why) const {
  if (fixed_ >= 0) return fixed_;
  const std::string force = ForceOf(record, force_);
  const int s = server::ShardOwning(shards_, force);
  if (s < 0) {
    *why = absl::StrCat("no shard of --shard_map owns force '", force, "'");
  }
  return s;
}

}  // namespace peel::peelctl
