#pragma once

#include <string>

#include "peel/gateway/v1/gateway.pb.h"
#include "services/gateway/adapter.h"
#include "services/gateway/versioned_cache.h"

// The gateway's two caches of GetForceAssessment, both VersionedCaches
// checked against versions read at the start of every call:
// - each backend's answer for a force (ForceEvidence), keyed by backend,
//   force and period and valid for that backend's shards' versions;
// - the whole assembled assessment, keyed by force and period and valid
//   for the gateway's own store version plus every asked shard's version.
// A repeat assessment then costs one parallel version round.
namespace peel::gateway {

using EvidenceCache = VersionedCache<ForceEvidence>;
using AssessmentCache = VersionedCache<v1::ForceAssessment>;

// The key of an assessment of `force` in `period`. An unset period means
// "the latest", which the adapters resolve against today's date, so the key
// then carries `today` (ISO): a new day never reuses yesterday's answer.
std::string AssessmentKey(const std::string& force,
                          const peel::common::v1::Period& period,
                          const std::string& today);

}  // namespace peel::gateway
