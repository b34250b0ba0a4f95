#pragma once

#include <map>
#include <memory>

#include "services/gateway/adapter.h"
#include "services/gateway/backends.h"

namespace peel::gateway {

// The backends the gateway talks to: one pool of shard channels and one
// adapter per backend (either may be missing).
struct Wiring {
  std::map<v1::Backend, std::unique_ptr<BackendPool>> pools;
  std::map<v1::Backend, std::unique_ptr<BackendAdapter>> adapters;

  const BackendPool* pool(v1::Backend b) const {
    auto it = pools.find(b);
    return it == pools.end() || !it->second->configured() ? nullptr
                                                          : it->second.get();
  }
  BackendAdapter* adapter(v1::Backend b) const {
    auto it = adapters.find(b);
    return it == adapters.end() ? nullptr : it->second.get();
  }
};

}  // namespace peel::gateway
