#include "common/auth/token.h"

#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace peel::auth {
namespace {

constexpr absl::string_view kKey = "0123456789abcdef0123456789abcdef";

TEST(Token, RoundTrip) {
  const std::string t =
      MintToken(kKey, {"caller-1", "force-analyst:kent", 2000000000});
  auto c = VerifyToken(kKey, t, absl::FromUnixSeconds(1999999999));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->subject, "caller-1");
  EXPECT_EQ(c->role, "force-analyst:kent");
  EXPECT_EQ(c->expires, 2000000000);
}

// The token format written out by hand: base64url("sub=a;role=reader;
// exp=2000000000") and its RFC 2104 HMAC-SHA256 computed by OpenSSL here.
TEST(Token, MatchesTheDocumentedFormat) {
  const std::string claims = "sub=a;role=reader;exp=2000000000";
  EXPECT_EQ(absl::WebSafeBase64Escape(claims),
            "c3ViPWE7cm9sZT1yZWFkZXI7ZXhwPTIwMDAwMDAwMDA");
  const std::string payload = "c3ViPWE7cm9sZT1yZWFkZXI7ZXhwPTIwMDAwMDAwMDA";
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
       mac, &len);
  ASSERT_EQ(len, 32u);
  const std::string expected = absl::StrCat(
      payload, ".",
      absl::WebSafeBase64Escape(
          absl::string_view(reinterpret_cast<const char*>(mac), len)));
  EXPECT_EQ(MintToken(kKey, {"a", "reader", 2000000000}), expected);
}

TEST(Token, RefusesTamperedExpiredAndMalformed) {
  const absl::Time now = absl::FromUnixSeconds(1000);
  const std::string good = MintToken(kKey, {"a", "reader", 2000});
  ASSERT_TRUE(VerifyToken(kKey, good, now).ok());

  // The same claims signed with another key.
  const std::string other =
      MintToken("another key, 32 bytes long......", {"a", "reader", 2000});
  EXPECT_EQ(VerifyToken(kKey, other, now).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Claims swapped for an inspector's, signature kept.
  const std::string forged = absl::StrCat(
      absl::WebSafeBase64Escape("sub=a;role=inspector;exp=2000"),
      good.substr(good.find('.')));
  EXPECT_EQ(VerifyToken(kKey, forged, now).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyToken(kKey, good, absl::FromUnixSeconds(2000)).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyToken(kKey, "nodot", now).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyToken(kKey, "", now).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Signed, but without a role.
  const std::string no_role = MintToken(kKey, {"a", "", 2000});
  EXPECT_EQ(VerifyToken(kKey, no_role, now).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace peel::auth
