#include "services/crime-recording/sampling.h"

#include <algorithm>
#include <queue>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/util/dates.h"
#include "common/util/status_macros.h"
#include "services/crime-recording/validate.h"

namespace peel::crimerecording {
namespace {

uint64_t Mix(uint64_t x) {  // SplitMix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t SampleScore(uint64_t seed, absl::string_view incident_id) {
  uint64_t h = 0xcbf29ce484222325ULL ^ Mix(seed);  // FNV-1a, seeded
  for (unsigned char c : incident_id) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return Mix(h ^ seed);
}

absl::StatusOr<std::vector<v1::SampledIncident>> DrawAuditSample(
    const CrimeRecordingStore& store, const v1::DrawAuditSampleRequest& req) {
  RETURN_IF_ERROR(ValidateDrawAuditSample(req));
  ASSIGN_OR_RETURN(int32_t start,
                   dates::ParseIsoDate(req.period().start_date()));
  ASSIGN_OR_RETURN(int32_t end, dates::ParseIsoDate(req.period().end_date()));

  using Pick = std::pair<uint64_t, std::string>;  // score, incident id
  struct Stratum {
    size_t size = 0;
    std::priority_queue<Pick> best;  // max-heap of the lowest scores
  };
  absl::flat_hash_map<int, Stratum> strata;
  for (const auto& s : req.sizes()) strata[s.stratum()].size = s.size();

  RETURN_IF_ERROR(store.ScanLog(
      req.force(), int64_t{start} * 86400, (int64_t{end} + 1) * 86400,
      [&](absl::string_view id, int stratum) {
        auto it = strata.find(stratum);
        if (it == strata.end()) return;
        Stratum& s = it->second;
        const uint64_t score = SampleScore(req.seed(), id);
        if (s.best.size() < s.size) {
          s.best.emplace(score, std::string(id));
        } else if (Pick{score, std::string(id)} < s.best.top()) {
          s.best.pop();
          s.best.emplace(score, std::string(id));
        }
      }));

  std::vector<v1::SampledIncident> out;
  for (const auto& size : req.sizes()) {  // strata in request order
    Stratum& s = strata[size.stratum()];
    std::vector<Pick> picks;
    while (!s.best.empty()) {
      picks.push_back(s.best.top());
      s.best.pop();
    }
    std::sort(picks.begin(), picks.end());
    int rank = 0;
    for (const Pick& p : picks) {
      v1::SampledIncident sampled;
      ASSIGN_OR_RETURN(*sampled.mutable_entry(),
                       store.GetLogEntry(req.force(), p.second));
      sampled.set_rank(++rank);
      out.push_back(std::move(sampled));
    }
  }
  return out;
}

}  // namespace peel::crimerecording
