#include "tools/peelctl/import/row_mapper.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
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

// Two digits at text[i], or -1.
int Digits2(absl::string_view text, size_t i) {
  if (!absl::ascii_isdigit(text[i]) || !absl::ascii_isdigit(text[i + 1])) {
    return -1;
  }
  return (text[i] - '0') * 10 + (text[i + 1] - '0');
}

// The common "YYYY-MM-DDTHH:MM:SSZ" without absl::ParseTime's general
// format machinery (a fifth of an import's CPU). Anything else, or a field
// out of range, returns false and goes the general way.
bool ParseUtcSecond(absl::string_view text, absl::Time* t) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return false;
  }
  const int hi = Digits2(text, 0), lo = Digits2(text, 2);
  const int mo = Digits2(text, 5), d = Digits2(text, 8);
  const int h = Digits2(text, 11), mi = Digits2(text, 14);
  const int sec = Digits2(text, 17);
  if (hi < 0 || lo < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
      mi < 0 || mi > 59 || sec < 0 || sec > 59) {
    return false;
  }
  const absl::CivilSecond civil(hi * 100 + lo, mo, d, h, mi, sec);
  if (civil.day() != d) return false;  // e.g. 31 June: normalised away
  *t = absl::FromCivil(civil, absl::UTCTimeZone());
  return true;
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view text) {
  absl::Time t;
  if (ParseUtcSecond(text, &t)) return t;
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
  if (!f->is_repeated()) {
    SetValue(msg, c, raw, errors);
    return;
  }
  for (absl::string_view v : absl::StrSplit(raw, ';', absl::SkipEmpty())) {
    if (!SetValue(msg, c, absl::StripAsciiWhitespace(v), errors)) return;
  }
}

bool RowMapper::SetValue(Message* msg, const Column& c, absl::string_view text,
                         std::vector<CellError>* errors) const {
  const FieldDescriptor* f = c.path.back();
  const Reflection* r = msg->GetReflection();
  auto fail = [&](const std::string& why) {
    errors->push_back({c.name, why});
    return false;
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      f->is_repeated() ? r->AddString(msg, f, std::string(text))
                       : r->SetString(msg, f, std::string(text));
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
      auto t = ParseTime(absl::StripAsciiWhitespace(text));
      if (!t.ok()) return fail(std::string(t.status().message()));
      const absl::Duration since = *t - absl::UnixEpoch();
      const int64_t seconds = absl::ToInt64Seconds(since);
      const auto nanos = static_cast<int32_t>(
          absl::ToInt64Nanoseconds(since - absl::Seconds(seconds)));
      Message* target =
          f->is_repeated() ? r->AddMessage(msg, f) : r->MutableMessage(msg, f);
      auto* ts =
          google::protobuf::DynamicCastToGenerated<google::protobuf::Timestamp>(
              target);
      if (ts != nullptr) {  // the linked type: set it directly
        ts->set_seconds(seconds);
        ts->set_nanos(nanos);
      } else {
        google::protobuf::Timestamp copy;
        copy.set_seconds(seconds);
        copy.set_nanos(nanos);
        target->CopyFrom(copy);
      }
      break;
    }
  }
  return true;
}

}  // namespace peel::peelctl
