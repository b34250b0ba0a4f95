#include "tools/demo/generator/demo_writer.h"

#include <filesystem>

#include "google/protobuf/util/json_util.h"

namespace peel::demo {

DemoWriter::DemoWriter(std::string out_dir) : dir_(std::move(out_dir)) {
  std::filesystem::create_directories(dir_);
  manifest_.open(dir_ + "/imports.txt", std::ios::trunc);
  manifest_ << "# kind file [flags]: run in order with peelctl import\n";
}

DemoWriter::~DemoWriter() {
  for (auto& [name, f] : files_) f->close();
}

void DemoWriter::Add(const std::string& kind, const std::string& file,
                     const google::protobuf::Message& record,
                     const std::string& flags) {
  auto it = files_.find(file);
  if (it == files_.end()) {
    const std::string path = dir_ + "/" + file;
    std::filesystem::create_directories(
        std::filesystem::path(path).parent_path());
    it = files_
             .emplace(file,
                      std::make_unique<std::ofstream>(path, std::ios::trunc))
             .first;
    manifest_ << kind << " " << file << (flags.empty() ? "" : " ") << flags
              << "\n";
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(record, &json, options);
  *it->second << json << "\n";
  ++records_;
}

}  // namespace peel::demo
