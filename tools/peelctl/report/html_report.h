// The assessment report people read: one self-contained HTML page (inline
// CSS and SVG, no script, nothing fetched) from an assembled assessment and
// the national comparisons of its metrics.
#pragma once

#include <string>
#include <vector>

#include "peel/gateway/v1/gateway.pb.h"

namespace peel::report {

struct ReportOptions {
  // The page's <title> and <h1>; empty: "PEEL assessment: <force name>".
  std::string title;
  // Shown in the footer when set (e.g. an ISO time); the renderer reads no
  // clock so the same input always gives the same page.
  std::string generated_at;
  // Where the data came from, shown in the footer ("gateway localhost:50050").
  std::string source;
  // List each backend's state in "About the data".
  bool show_backends = true;
};

// Renders the page. Pure: no I/O. Every piece of text from the inputs is
// HTML-escaped. One chart (with a data table beside it) per comparison, in
// the order given, with the assessment's force highlighted.
std::string RenderAssessmentHtml(
    const peel::gateway::v1::ForceAssessment& assessment,
    const std::vector<peel::gateway::v1::ForceComparison>& comparisons,
    const ReportOptions& options = {});

}  // namespace peel::report
