#include "services/gateway/backends.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/reference/forces.h"
#include "grpcpp/grpcpp.h"

namespace peel::gateway {

absl::StatusOr<std::vector<ShardSpec>> ParseShardSpecs(absl::string_view text,
                                                       absl::string_view flag) {
  std::vector<ShardSpec> out;
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return out;
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "='", text, "': ", why));
  };
  std::set<std::string> owned;
  bool catch_all = false;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    ShardSpec spec;
    const size_t at = part.find('@');
    absl::string_view address = part;
    if (at != absl::string_view::npos) {
      address = part.substr(at + 1);
      for (absl::string_view f : absl::StrSplit(part.substr(0, at), '+')) {
        f = absl::StripAsciiWhitespace(f);
        if (reference::FindForce(f) == nullptr) {
          return bad(absl::StrCat("unknown force '", f, "'"));
        }
        if (!owned.insert(std::string(f)).second) {
          return bad(absl::StrCat("force '", f, "' is owned by two shards"));
        }
        spec.forces.insert(std::string(f));
      }
    } else {
      if (catch_all) {
        return bad(
            "two shards own every other force (name the forces as "
            "FORCE+FORCE@ADDRESS)");
      }
      catch_all = true;
    }
    if (address.empty()) return bad("a shard has an empty address");
    spec.address = std::string(address);
    out.push_back(std::move(spec));
  }
  return out;
}

BackendPool::BackendPool(
    v1::Backend backend, std::vector<ShardSpec> specs,
    std::shared_ptr<grpc::ChannelCredentials> credentials)
    : backend_(backend) {
  if (!credentials) credentials = grpc::InsecureChannelCredentials();
  for (auto& spec : specs) {
    grpc::ChannelArguments args;
    // Reconnect quickly after a backend restarts, so its areas come back.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    Shard shard;
    shard.channel = grpc::CreateCustomChannel(
        spec.address, credentials, args);
    shard.spec = std::move(spec);
    shards_.push_back(std::move(shard));
  }
}

const Shard* BackendPool::ShardFor(absl::string_view force) const {
  const Shard* catch_all = nullptr;
  for (const Shard& s : shards_) {
    if (s.spec.forces.empty()) {
      catch_all = &s;
    } else if (s.spec.forces.count(std::string(force)) > 0) {
      return &s;
    }
  }
  return catch_all;
}

std::vector<std::string> BackendPool::addresses() const {
  std::vector<std::string> out;
  for (const Shard& s : shards_) out.push_back(s.spec.address);
  return out;
}

}  // namespace peel::gateway
