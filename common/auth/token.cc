#include "common/auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace peel::auth {
namespace {

std::string Hmac(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
       &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

absl::Status Bad(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token: ", why));
}

}  // namespace

absl::StatusOr<std::string> ReadTokenKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--auth_token_key_file=", path, ": cannot read"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string key(absl::StripAsciiWhitespace(ss.str()));
  if (key.size() < 16) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--auth_token_key_file=", path, ": key shorter than 16 bytes"));
  }
  return key;
}

std::string MintToken(absl::string_view key, const Claims& claims) {
  const std::string payload = absl::WebSafeBase64Escape(
      absl::StrCat("sub=", claims.subject, ";role=", claims.role,
                   ";exp=", claims.expires));
  return absl::StrCat(payload, ".",
                      absl::WebSafeBase64Escape(Hmac(key, payload)));
}

absl::StatusOr<Claims> VerifyToken(absl::string_view key,
                                   absl::string_view token, absl::Time now) {
  const size_t dot = token.find('.');
  if (dot == absl::string_view::npos) return Bad("not PAYLOAD.SIGNATURE");
  const absl::string_view payload = token.substr(0, dot);
  std::string signature;
  if (!absl::WebSafeBase64Unescape(token.substr(dot + 1), &signature)) {
    return Bad("signature is not base64url");
  }
  const std::string expected = Hmac(key, payload);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Bad("signature does not match");
  }
  std::string text;
  if (!absl::WebSafeBase64Unescape(payload, &text)) {
    return Bad("payload is not base64url");
  }
  Claims c;
  bool has_exp = false;
  for (absl::string_view part : absl::StrSplit(text, ';')) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (kv.first == "sub") {
      c.subject = std::string(kv.second);
    } else if (kv.first == "role") {
      c.role = std::string(kv.second);
    } else if (kv.first == "exp") {
      if (!absl::SimpleAtoi(kv.second, &c.expires)) return Bad("exp not a number");
      has_exp = true;
    }
  }
  if (c.subject.empty() || c.role.empty() || !has_exp) {
    return Bad("claims need sub, role and exp");
  }
  if (absl::FromUnixSeconds(c.expires) <= now) return Bad("expired");
  return c;
}

}  // namespace peel::auth
