// Writes the report of the hand-made Met assessment (43 forces per chart) to
// the file named by argv[1], for the Chromium test. `--hostile` puts markup
// and quotes into the findings and names, which the page must show as text.
#include <cstring>
#include <fstream>
#include <iostream>

#include "tools/peelctl/report/html_report.h"
#include "tools/peelctl/report/tests/report_fixture.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: report_fixture_html OUT.html [--hostile]\n";
    return 2;
  }
  bool hostile = argc > 2 && std::strcmp(argv[2], "--hostile") == 0;
  peel::report::ReportOptions options;
  options.source = "test fixture (synthetic comparator values)";
  std::string html = peel::report::RenderAssessmentHtml(
      peel::report::testing::MetAssessment(hostile),
      peel::report::testing::NationalComparisons(), options);
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << html;
  out.close();
  if (!out) {
    std::cerr << "cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
