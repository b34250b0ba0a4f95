// Fuzz target: arbitrary bytes as a CSV file for peelctl's importer, mapped
// onto several record types. Bad files must be refused with a message, bad
// rows reported, never a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "peel/crimerecording/v1/crime_recording.pb.h"
#include "tools/peelctl/import/csv.h"
#include "tools/peelctl/import/row_mapper.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const google::protobuf::Descriptor* types[] = {
      peel::crimerecording::v1::AuditedIncident::descriptor(),
      peel::crimerecording::v1::IncidentLogEntry::descriptor(),
      peel::crimerecording::v1::Audit::descriptor(),
  };
  for (const auto* type : types) {
    std::istringstream in(text);
    auto reader = peel::peelctl::CsvReader::Open(&in);
    if (!reader.ok()) continue;
    auto mapper = peel::peelctl::RowMapper::Create(type, reader->header());
    if (!mapper.ok()) continue;
    std::vector<std::string> row;
    int64_t line;
    peel::crimerecording::v1::AuditedIncident scratch;
    std::unique_ptr<google::protobuf::Message> record(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(type)
            ->New());
    int rows = 0;
    while (reader->Next(&row, &line) && rows++ < 1000) {
      if (row.size() != reader->header().size()) continue;
      std::vector<peel::peelctl::CellError> errors;
      mapper->Apply(row, rows % 2 == 0, record.get(), &errors);
    }
  }
  return 0;
}
