#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/message.h"

// Writes the demo data set: one JSON Lines file per import (records in
// protobuf's JSON mapping, as `peelctl import` reads them) and a manifest,
// imports.txt, listing in order the `peelctl import` arguments that load
// them. Everything synthetic is marked so in its ids ("synthetic-...").
namespace peel::demo {

class DemoWriter {
 public:
  explicit DemoWriter(std::string out_dir);
  ~DemoWriter();

  // Appends `record` to `file` (relative to the output folder) and, the
  // first time the file is used, adds `peelctl import KIND FILE FLAGS` to
  // the manifest.
  void Add(const std::string& kind, const std::string& file,
           const google::protobuf::Message& record,
           const std::string& flags = "");

  int64_t records() const { return records_; }

 private:
  std::string dir_;
  std::map<std::string, std::unique_ptr<std::ofstream>> files_;
  std::ofstream manifest_;
  int64_t records_ = 0;
};

}  // namespace peel::demo
