// The cookie that carries a person's session (api/sign_in_routes.h): its name, reading it from a
// request's Cookie header, and the Set-Cookie values that set and clear it. HttpOnly (no script
// reads it), SameSite=Lax (other sites' requests do not carry it, except top-level navigation),
// Path=/, and over https Secure with the `__Host-` prefix (no other host or path may set it).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace leadline::api {

std::string SessionCookieName(bool secure);
// The value of the cookie `name` in a Cookie header, if it is there once.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);
std::string SetSessionCookie(const std::string& secret, common::Seconds max_age, bool secure);
std::string ClearSessionCookie(bool secure);

}  // namespace leadline::api
