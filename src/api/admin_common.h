// What the admin routes share (api/admin_routes.h, api/admin_connection_routes.h): the gate that
// lets only an admin over every project through, and reading and writing their JSON bodies.
// Included by those two files only: it brings nlohmann/json. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/access_gate.h"
#include "api/api_context.h"
#include "api/http_types.h"
#include "common/time.h"

namespace leadline::api::admin {

inline constexpr std::size_t kMostNameBytes = 100;
inline constexpr std::size_t kMostListItems = 1000;

// The admin routes' gate: the `admin` scope over every project. An admin limited to some
// projects is refused (403): it could otherwise give itself more.
RouteHandler AdminOnly(ApiContext& context, GuardedHandler handler);

// A JSON answer that no cache keeps.
HttpResponse Json(int status, const nlohmann::json& body);
// RFC 3339, or null.
nlohmann::json Time(std::optional<common::UnixSeconds> at);

// What follows `prefix` in the path, when it is 1 to kMostNameBytes bytes.
std::optional<std::string> NameIn(const HttpRequest& request, std::string_view prefix);
// A JSON object body, or InvalidArgument.
common::Result<nlohmann::json> ObjectBody(const HttpRequest& request);
// `body[key]` as a list of at most `most` non-empty strings (absent: empty), or InvalidArgument
// naming the key.
common::Result<std::vector<std::string>> Strings(const nlohmann::json& body, const char* key,
                                                 std::size_t most = kMostListItems);
// `body[key]` as a string of at most `most` bytes (absent: empty), or InvalidArgument naming it.
common::Result<std::string> String(const nlohmann::json& body, const char* key, std::size_t most);

}  // namespace leadline::api::admin
