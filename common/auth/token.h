#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// Bearer tokens: `authorization: Bearer <payload>.<signature>` where
// payload is the unpadded base64url of a claims string
//   sub=<opaque caller id>;role=<role>;exp=<unix seconds>
// and signature the unpadded base64url of HMAC-SHA256(key, payload), the
// key being the bytes of --auth_token_key_file with surrounding whitespace
// removed. tools/make-test-token mints one with openssl.
namespace peel::auth {

struct Claims {
  std::string subject;
  std::string role;
  int64_t expires = 0;  // unix seconds
};

// Reads the key file (InvalidArgument naming the flag when unreadable or
// shorter than 16 bytes).
absl::StatusOr<std::string> ReadTokenKey(const std::string& path);

std::string MintToken(absl::string_view key, const Claims& claims);

// Unauthenticated (with the reason) unless the signature matches, the
// claims parse and `now` is before exp.
absl::StatusOr<Claims> VerifyToken(absl::string_view key,
                                   absl::string_view token, absl::Time now);

}  // namespace peel::auth
