#include "api/session_cookie.h"

namespace leadline::api {
namespace {

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string Attributes(common::Seconds max_age, bool secure) {
  return "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

}  // namespace

std::string SessionCookieName(bool secure) {
  return secure ? "__Host-leadline_session" : "leadline_session";
}

std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name) {
  std::optional<std::string> found;
  while (!cookie_header.empty()) {
    const std::size_t end = cookie_header.find(';');
    const std::string_view pair = Trimmed(cookie_header.substr(0, end));
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && Trimmed(pair.substr(0, equals)) == name) {
      // Twice is ambiguous (a cookie planted for a parent domain, say): neither is trusted.
      if (found) return std::nullopt;
      found = std::string(Trimmed(pair.substr(equals + 1)));
    }
    if (end == std::string_view::npos) break;
    cookie_header.remove_prefix(end + 1);
  }
  return found;
}

std::string SetSessionCookie(const std::string& secret, common::Seconds max_age, bool secure) {
  return SessionCookieName(secure) + "=" + secret + Attributes(max_age, secure);
}

std::string ClearSessionCookie(bool secure) {
  return SessionCookieName(secure) + "=" + Attributes(0, secure);
}

}  // namespace leadline::api
