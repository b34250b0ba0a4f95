#include "common/auth/message_fields.h"

#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace peel::auth {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Calls `on_string(field, value)` for every set string field at any depth.
template <typename F>
void Walk(const Message& m, const F& on_string, int depth = 0) {
  if (depth > 16) return;  // our messages are shallow; stop any cycle
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          on_string(f, r->GetRepeatedString(m, f, i));
        }
      } else {
        on_string(f, r->GetString(m, f));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_map()) continue;
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          Walk(r->GetRepeatedMessage(m, f, i), on_string, depth + 1);
        }
      } else {
        Walk(r->GetMessage(m, f), on_string, depth + 1);
      }
    }
  }
}

}  // namespace

std::set<std::string> CollectForces(const Message& message,
                                    const ForceResolvers& resolvers) {
  std::set<std::string> forces;
  Walk(message, [&](const FieldDescriptor* f, const std::string& value) {
    if (value.empty()) return;
    if (f->name() == "force") {
      forces.insert(value);
      return;
    }
    auto it = resolvers.find(f->name());
    if (it != resolvers.end()) {
      std::string owner = it->second(value);
      if (!owner.empty()) forces.insert(std::move(owner));
    }
  });
  return forces;
}

std::vector<std::string> CollectIds(const Message& message) {
  std::vector<std::string> ids;
  Walk(message, [&](const FieldDescriptor* f, const std::string& value) {
    if (value.empty()) return;
    if (f->name() == "id" || absl::EndsWith(f->name(), "_id")) {
      ids.push_back(value);
    }
  });
  return ids;
}

uint64_t SequenceOf(const Message& message) {
  const FieldDescriptor* f =
      message.GetDescriptor()->FindFieldByName("sequence");
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_UINT64) {
    return 0;
  }
  return message.GetReflection()->GetUInt64(message, f);
}

void Neutralise(Message* message) {
  message->Clear();
  const auto* d = message->GetDescriptor();
  const Reflection* r = message->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING && !f->is_repeated()) {
      r->SetString(message, f, "~denied~");
    }
  }
}

}  // namespace peel::auth
