#include "integration-tests/demo/suite_driver.h"

#include <stdio.h>
#include <sys/wait.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace peel::demo::testing {

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<ImportLine> ReadManifest(const std::string& demo_dir) {
  std::vector<ImportLine> out;
  std::ifstream in(demo_dir + "/imports.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    ImportLine l;
    fields >> l.kind >> l.file;
    std::string flag;
    while (fields >> flag) l.flags += (l.flags.empty() ? "" : " ") + flag;
    out.push_back(l);
  }
  return out;
}

void ImportAll(const std::string& peelctl, const std::string& data_dir,
               const std::string& demo_dir, std::vector<ImportLine>* lines) {
  static const std::regex kCounts(
      R"((\d+) rows, (\d+) accepted, (\d+) duplicate, (\d+) rejected)");
  for (ImportLine& l : *lines) {
    CommandResult r =
        RunCommand(peelctl + " import --quiet --data_dir=" + data_dir + " " +
                   l.flags + " " + l.kind + " " + demo_dir + "/" + l.file);
    l.exit_code = r.exit_code;
    l.output = r.output;
    std::smatch m;
    if (std::regex_search(r.output, m, kCounts)) {
      l.rows = std::stoll(m[1]);
      l.accepted = std::stoll(m[2]);
      l.duplicates = std::stoll(m[3]);
      l.rejected = std::stoll(m[4]);
    }
  }
}

std::string AddressOf(const std::string& data_dir, const std::string& service) {
  std::ifstream in(data_dir + "/" + service + "/port");
  std::string port;
  std::getline(in, port);
  return "127.0.0.1:" + port;
}

}  // namespace peel::demo::testing
