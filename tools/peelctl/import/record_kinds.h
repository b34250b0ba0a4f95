#pragma once

#include <string>
#include <vector>

namespace google::protobuf {
class MethodDescriptor;
}

// Every kind of record peelctl imports, and the RPC that takes it. The
// message types are read from the method's descriptor, so adding a kind is
// one line here.
namespace peel::peelctl {

struct RecordKind {
  std::string name;     // on the command line, e.g. "call-records"
  std::string service;  // suite folder of the service, e.g. "victim-service"
  std::string
      method;  // full method name, e.g.
               // "peel.victimservice.v1.VictimService.IngestCallRecords"
  std::string summary;
};

const std::vector<RecordKind>& RecordKinds();
const RecordKind* FindRecordKind(const std::string& name);

// The method's descriptor from the linked protos (nullptr if unknown).
const google::protobuf::MethodDescriptor* MethodOf(const RecordKind& kind);

}  // namespace peel::peelctl
