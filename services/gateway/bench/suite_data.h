#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"

// Synthetic data for the gateway benchmark: every force gets a seeded
// subset of each store service's record-level Met fixture, re-labelled with
// its own slug and ids, so all four backends hold `forces` forces with
// different values.
namespace peel::gateway::bench {

struct Backends {
  std::shared_ptr<grpc::Channel> crime_recording, victim_service, workforce,
      soc_disruptions;
};

struct LoadCounts {
  int64_t incidents = 0, reviews = 0, calls = 0, people = 0, disruptions = 0;
};

// Loads `forces` (slugs, Metropolitan first) into the four backends; each
// record of a fixture is kept with a per-force probability drawn from
// `seed`. Exits on any failed call.
LoadCounts LoadForces(const Backends& b, const std::vector<std::string>& forces,
                      uint64_t seed);

}  // namespace peel::gateway::bench
