#include "tools/peelctl/import/row_mapper.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/peelctl/import/csv.h"

namespace peel::peelctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsTimestamp(const FieldDescriptor* f) {
  return f->type() == FieldDescriptor::TYPE_MESSAGE &&
         f->message_type()->full_name() == "google.protobuf.Timestamp";
}

bool IsLeaf(const FieldDescriptor* f) {
  return f->type() != FieldDescriptor::TYPE_MESSAGE || IsTimestamp(f);
}

void CollectPaths(const Descriptor* d, const std::string& prefix, int depth,
                  std::vector<std::string>* out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (IsLeaf(f)) {
      out->push_back(prefix + f->name());
    } else if (depth < 3) {
      CollectPaths(f->message_type(), prefix + f->name() + ".", depth + 1, out);
    }
  }
}

absl::StatusOr<absl::Time> ParseTime(const std::string& text) {
  absl::Time t;
  std::string err;
  for (const char* fmt :
       {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%d %H:%M:%E*S",
        "%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%d"}) {
    if (absl::ParseTime(fmt, text, absl::UTCTimeZone(), &t, &err)) return t;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text,
      "' is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"));
}

std::string EnumNames(const google::protobuf::EnumDescriptor* e) {
  std::vector<std::string> names;
  for (int i = 1; i < e->value_count(); ++i)
    names.push_back(e->value(i)->name());
  return absl::StrJoin(names, ", ");
}

}  // namespace

std::vector<std::string> RowMapper::Paths(const Descriptor* record) {
  std::vector<std::string> out;
  CollectPaths(record, "", 0, &out);
  return out;
}

absl::StatusOr<RowMapper> RowMapper::Create(
    const Descriptor* record, const std::vector<std::string>& header) {
  RowMapper m;
  std::vector<std::string> unknown;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name(absl::StripAsciiWhitespace(header[i]));
    Column c;
    c.index = static_cast<int>(i);
    c.name = name;
    const Descriptor* d = record;
    bool ok = true;
    for (absl::string_view part : absl::StrSplit(name, '.')) {
      const FieldDescriptor* f =
          d == nullptr ? nullptr : d->FindFieldByName(std::string(part));
      if (f == nullptr) {
        ok = false;
        break;
      }
      c.path.push_back(f);
      if (f->is_repeated() && !IsLeaf(f)) {
        if (m.repeated_ != nullptr && m.repeated_ != f) {
          return absl::InvalidArgumentError(absl::StrCat(
              "column '", name, "': only one repeated group per file"));
        }
        m.repeated_ = f;
        c.in_repeated_element = true;
        c.path.clear();  // paths inside the element start from it
      }
      d = IsLeaf(f) ? nullptr : f->message_type();
    }
    if (!ok || c.path.empty() || !IsLeaf(c.path.back())) {
      unknown.push_back(name);
      continue;
    }
    if (c.path.size() == 1 && !c.in_repeated_element &&
        c.path[0]->type() == FieldDescriptor::TYPE_STRING &&
        absl::EndsWith(c.path[0]->name(), "_id") && m.id_column_ < 0) {
      m.id_column_ = c.index;
    }
    m.columns_.push_back(std::move(c));
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown column(s) ", absl::StrJoin(unknown, ", "), "; the columns of ",
        record->name(), " are: ", absl::StrJoin(Paths(record), ", ")));
  }
  return m;
}

void RowMapper::Apply(const std::vector<std::string>& row, bool continuation,
                      Message* record, std::vector<CellError>* errors) const {
  Message* element = nullptr;
  if (repeated_ != nullptr) {
    bool any = false;
    for (const Column& c : columns_) {
      if (c.in_repeated_element && !row[c.index].empty()) any = true;
    }
    if (any) {
      element = record->GetReflection()->AddMessage(record, repeated_);
    }
  }
  for (const Column& c : columns_) {
    const std::string& text = row[c.index];
    if (c.in_repeated_element) {
      if (element != nullptr && !text.empty())
        SetLeaf(element, c, text, errors);
    } else if (!continuation && !text.empty()) {
      SetLeaf(record, c, text, errors);
    }
  }
}

void RowMapper::SetLeaf(Message* msg, const Column& c, const std::string& raw,
                        std::vector<CellError>* errors) const {
  for (size_t i = 0; i + 1 < c.path.size(); ++i) {
    msg = msg->GetReflection()->MutableMessage(msg, c.path[i]);
  }
  const FieldDescriptor* f = c.path.back();
  const Reflection* r = msg->GetReflection();
  std::vector<std::string> values;
  if (f->is_repeated()) {
    for (absl::string_view v : absl::StrSplit(raw, ';', absl::SkipEmpty())) {
      values.emplace_back(absl::StripAsciiWhitespace(v));
    }
  } else {
    values.push_back(raw);
  }
  auto fail = [&](const std::string& why) { errors->push_back({c.name, why}); };
  for (const std::string& text : values) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        f->is_repeated() ? r->AddString(msg, f, text)
                         : r->SetString(msg, f, text);
        break;
      case FieldDescriptor::CPPTYPE_BOOL: {
        auto b = ParseBool(text);
        if (!b.ok()) return fail(std::string(b.status().message()));
        f->is_repeated() ? r->AddBool(msg, f, *b) : r->SetBool(msg, f, *b);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64: {
        int64_t v;
        if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &v)) {
          return fail(absl::StrCat("'", text, "' is not a whole number"));
        }
        switch (f->cpp_type()) {
          case FieldDescriptor::CPPTYPE_INT32:
            f->is_repeated() ? r->AddInt32(msg, f, static_cast<int32_t>(v))
                             : r->SetInt32(msg, f, static_cast<int32_t>(v));
            break;
          case FieldDescriptor::CPPTYPE_INT64:
            f->is_repeated() ? r->AddInt64(msg, f, v) : r->SetInt64(msg, f, v);
            break;
          case FieldDescriptor::CPPTYPE_UINT32:
            if (v < 0) return fail(absl::StrCat("'", text, "' is negative"));
            f->is_repeated() ? r->AddUInt32(msg, f, static_cast<uint32_t>(v))
                             : r->SetUInt32(msg, f, static_cast<uint32_t>(v));
            break;
          default:
            if (v < 0) return fail(absl::StrCat("'", text, "' is negative"));
            f->is_repeated() ? r->AddUInt64(msg, f, static_cast<uint64_t>(v))
                             : r->SetUInt64(msg, f, static_cast<uint64_t>(v));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        double v;
        if (!absl::SimpleAtod(absl::StripAsciiWhitespace(text), &v)) {
          return fail(absl::StrCat("'", text, "' is not a number"));
        }
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
          f->is_repeated() ? r->AddDouble(msg, f, v) : r->SetDouble(msg, f, v);
        } else {
          f->is_repeated() ? r->AddFloat(msg, f, static_cast<float>(v))
                           : r->SetFloat(msg, f, static_cast<float>(v));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        std::string name =
            absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
        for (char& ch : name) {
          if (ch == '-' || ch == ' ') ch = '_';
        }
        const auto* value = f->enum_type()->FindValueByName(name);
        if (value == nullptr || value->number() == 0) {
          return fail(absl::StrCat("'", text, "' is not one of ",
                                   EnumNames(f->enum_type())));
        }
        f->is_repeated() ? r->AddEnumValue(msg, f, value->number())
                         : r->SetEnumValue(msg, f, value->number());
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {  // google.protobuf.Timestamp
        auto t = ParseTime(std::string(absl::StripAsciiWhitespace(text)));
        if (!t.ok()) return fail(std::string(t.status().message()));
        google::protobuf::Timestamp ts;
        const absl::Duration since = *t - absl::UnixEpoch();
        ts.set_seconds(absl::ToInt64Seconds(since));
        ts.set_nanos(static_cast<int32_t>(
            absl::ToInt64Nanoseconds(since - absl::Seconds(ts.seconds()))));
        Message* target = f->is_repeated() ? r->AddMessage(msg, f)
                                           : r->MutableMessage(msg, f);
        target->CopyFrom(ts);
        break;
      }
    }
  }
}

}  // namespace peel::peelctl
