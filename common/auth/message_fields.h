#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace google::protobuf {
class Message;
}

// What authorisation and the audit log read from a request, found by
// reflection so every service's messages are covered without per-method
// code: the forces it names and the record ids it carries.
namespace peel::auth {

// Field name -> the force owning an id of that field ("" when unknown),
// for requests that refer to a record by id only (audit_id, group_id, ...).
// Each service registers lookups into its store.
using ForceResolvers =
    std::map<std::string, std::function<std::string(const std::string& id)>,
             std::less<>>;

// Every non-empty string field named `force` at any depth, and the owner of
// every id whose field name has a resolver.
std::set<std::string> CollectForces(const google::protobuf::Message& message,
                                    const ForceResolvers& resolvers);

// Every non-empty string field named `id` or ending in `_id`, at any depth,
// in message order (the record ids; never other contents).
std::vector<std::string> CollectIds(const google::protobuf::Message& message);

// The top-level `sequence` field of a batch, 0 when none.
uint64_t SequenceOf(const google::protobuf::Message& message);

// Empties `message` so a handler given it writes and reveals nothing: every
// field cleared, then each top-level string field set to an id no record
// has and no force is called (validation refuses it).
void Neutralise(google::protobuf::Message* message);

}  // namespace peel::auth
