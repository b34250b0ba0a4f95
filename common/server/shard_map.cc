#include "common/server/shard_map.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/reference/forces.h"

namespace peel::server {

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

int ShardOwning(const std::vector<ShardSpec>& shards, absl::string_view force) {
  int catch_all = -1;
  for (size_t i = 0; i < shards.size(); ++i) {
    if (shards[i].forces.empty()) {
      catch_all = static_cast<int>(i);
    } else if (shards[i].forces.count(std::string(force)) > 0) {
      return static_cast<int>(i);
    }
  }
  return catch_all;
}

}  // namespace peel::server
