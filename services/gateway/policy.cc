#include "services/gateway/policy.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "services/gateway/catalogue.h"

namespace peel::gateway {
namespace {

using peel::common::v1::Grade;

// Collects the text parser's complaints with their line and column.
class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    errors.push_back(
        absl::StrCat("line ", line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, int column, const std::string& message) override {
    AddError(line, column, message);
  }
  std::vector<std::string> errors;
};

struct Level {
  Grade grade;
  bool set;
  double value;
  absl::string_view name;
};

std::vector<Level> Levels(const v1::Thresholds& t) {
  return {
      {peel::common::v1::OUTSTANDING, t.has_outstanding(), t.outstanding(),
       "outstanding"},
      {peel::common::v1::GOOD, t.has_good(), t.good(), "good"},
      {peel::common::v1::ADEQUATE, t.has_adequate(), t.adequate(), "adequate"},
      {peel::common::v1::REQUIRES_IMPROVEMENT, t.has_requires_improvement(),
       t.requires_improvement(), "requires_improvement"},
  };
}

bool Meets(v1::Polarity polarity, double value, double threshold) {
  return polarity == v1::LOWER_IS_BETTER ? value < threshold
                                         : value >= threshold;
}

}  // namespace

absl::Status ValidatePolicy(const v1::GradingPolicy& policy) {
  std::vector<std::string> problems;
  if (policy.policy_id().empty()) problems.push_back("policy_id: missing");
  std::set<int> seen_areas;
  for (int i = 0; i < policy.areas_size(); ++i) {
    const v1::AreaPolicy& ap = policy.areas(i);
    const std::string where = absl::StrCat("areas[", i, "]");
    const AreaInfo* info = FindArea(ap.area());
    if (info == nullptr) {
      problems.push_back(
          absl::StrCat(where, ".area: unknown or unset area ", ap.area()));
      continue;
    }
    const std::string area_name = v1::Area_Name(ap.area());
    if (!seen_areas.insert(ap.area()).second) {
      problems.push_back(
          absl::StrCat(where, ".area: ", area_name, " appears twice"));
    }
    if (!info->graded && ap.rules_size() > 0) {
      problems.push_back(absl::StrCat(where, ".area: ", area_name,
                                      " is ungraded and cannot have rules"));
    }
    std::set<std::string> seen_metrics;
    for (int j = 0; j < ap.rules_size(); ++j) {
      const v1::MetricRule& rule = ap.rules(j);
      const std::string rw =
          absl::StrCat(where, " (", area_name, ").rules[", j, "]");
      const v1::Metric* m = FindMetric(rule.metric());
      if (m == nullptr) {
        problems.push_back(
            absl::StrCat(rw, ".metric: unknown metric '", rule.metric(), "'"));
        continue;
      }
      if (!seen_metrics.insert(rule.metric()).second) {
        problems.push_back(absl::StrCat(rw, ".metric: '", rule.metric(),
                                        "' appears twice in the area"));
      }
      if (m->polarity() != v1::HIGHER_IS_BETTER &&
          m->polarity() != v1::LOWER_IS_BETTER) {
        problems.push_back(
            absl::StrCat(rw, ".metric: '", rule.metric(),
                         "' has no better direction and cannot be graded"));
        continue;
      }
      const bool higher = m->polarity() == v1::HIGHER_IS_BETTER;
      int set_levels = 0;
      const Level* previous = nullptr;
      std::vector<Level> levels = Levels(rule.thresholds());
      for (const Level& level : levels) {
        if (!level.set) continue;
        ++set_levels;
        if (!std::isfinite(level.value)) {
          problems.push_back(absl::StrCat(rw, ".thresholds.", level.name,
                                          ": not a finite number"));
          continue;
        }
        if (m->unit() == v1::PROPORTION &&
            (level.value < 0 || level.value > 1)) {
          problems.push_back(absl::StrCat(rw, ".thresholds.", level.name, ": ",
                                          level.value,
                                          " is not a proportion in [0, 1]"));
        }
        if (previous != nullptr) {
          const bool ordered = higher ? previous->value > level.value
                                      : previous->value < level.value;
          if (!ordered) {
            problems.push_back(absl::StrCat(
                rw, ".thresholds: out of order for '", rule.metric(), "' (",
                higher ? "higher" : "lower", " is better): ", previous->name,
                " = ", previous->value, " must be ",
                higher ? "above " : "below ", level.name, " = ", level.value));
          }
        }
        previous = &level;
      }
      if (set_levels == 0) {
        problems.push_back(
            absl::StrCat(rw, ".thresholds: no threshold is set"));
      }
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("grading policy '", policy.policy_id(),
                   "' is invalid: ", absl::StrJoin(problems, "; ")));
}

absl::StatusOr<v1::GradingPolicy> ParsePolicy(absl::string_view text,
                                              absl::string_view origin) {
  google::protobuf::TextFormat::Parser parser;
  Collector collector;
  parser.RecordErrorsTo(&collector);
  v1::GradingPolicy policy;
  if (!parser.ParseFromString(std::string(text), &policy)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "grading policy ", origin,
        " does not parse: ", absl::StrJoin(collector.errors, "; ")));
  }
  absl::Status s = ValidatePolicy(policy);
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": ", s.message()));
  }
  return policy;
}

absl::StatusOr<v1::GradingPolicy> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read grading policy file '", path, "'"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParsePolicy(buffer.str(), path);
}

Grade GradeForValue(const v1::MetricRule& rule, v1::Polarity polarity,
                    double value) {
  for (const Level& level : Levels(rule.thresholds())) {
    if (level.set && Meets(polarity, value, level.value)) return level.grade;
  }
  return peel::common::v1::INADEQUATE;
}

IndicativeGrade GradeArea(const v1::GradingPolicy& policy, v1::Area area,
                          const std::map<std::string, double>& values) {
  IndicativeGrade out;
  const AreaInfo* info = FindArea(area);
  if (info != nullptr && !info->graded) {
    out.grade = peel::common::v1::UNGRADED;
    out.basis = "ungraded area";
    return out;
  }
  const v1::AreaPolicy* ap = nullptr;
  for (const auto& a : policy.areas()) {
    if (a.area() == area) ap = &a;
  }
  if (ap == nullptr || ap->rules_size() == 0) {
    out.basis = "the grading policy has no rule for this area";
    return out;
  }
  std::vector<std::string> parts;
  int worst = 0;  // Grade enum: larger is worse among OUTSTANDING..INADEQUATE
  for (const auto& rule : ap->rules()) {
    auto it = values.find(rule.metric());
    if (it == values.end()) {
      parts.push_back(absl::StrCat(rule.metric(), ": no figure"));
      continue;
    }
    const v1::Metric* m = FindMetric(rule.metric());
    const Grade g = GradeForValue(rule, m->polarity(), it->second);
    parts.push_back(absl::StrCat(rule.metric(), " = ", it->second, " → ",
                                 peel::common::v1::Grade_Name(g)));
    if (g > worst) worst = g;
  }
  if (worst == 0) {
    out.basis = absl::StrCat("no figure for any rule (",
                             absl::StrJoin(parts, "; "), ")");
    return out;
  }
  out.grade = static_cast<Grade>(worst);
  out.basis = absl::StrCat("worst of: ", absl::StrJoin(parts, "; "));
  return out;
}

}  // namespace peel::gateway
