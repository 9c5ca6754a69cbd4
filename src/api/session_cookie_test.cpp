#include "api/session_cookie.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

TEST(SessionCookieTest, TheCookieIsReadOnceFromTheHeader) {
  EXPECT_EQ(CookieValue("a=1; leadline_session=abc; b=2", "leadline_session"), "abc");
  EXPECT_EQ(CookieValue("leadline_session=abc", "leadline_session"), "abc");
  EXPECT_FALSE(CookieValue("a=1; leadline_sessionx=abc", "leadline_session").has_value());
  EXPECT_FALSE(CookieValue("", "leadline_session").has_value());
  EXPECT_FALSE(CookieValue("leadline_session", "leadline_session").has_value());
  // Two of them: neither is trusted.
  EXPECT_FALSE(CookieValue("leadline_session=a; leadline_session=b", "leadline_session"));
}

TEST(SessionCookieTest, SetCookieKeepsScriptsAndOtherSitesOut) {
  EXPECT_EQ(SetSessionCookie("s3", 3600, false),
            "leadline_session=s3; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600");
  EXPECT_EQ(SetSessionCookie("s3", 60, true),
            "__Host-leadline_session=s3; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
  EXPECT_EQ(ClearSessionCookie(true),
            "__Host-leadline_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
}

}  // namespace
}  // namespace leadline::api
