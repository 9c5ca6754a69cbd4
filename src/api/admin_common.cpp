#include "api/admin_common.h"

#include "api/responses.h"

namespace leadline::api::admin {

using nlohmann::json;

RouteHandler AdminOnly(ApiContext& context, GuardedHandler handler) {
  return Guarded(
      context, "admin",
      [handler = std::move(handler)](const HttpRequest& request, const auth::Principal& principal) {
        if (!principal.projects.empty()) {
          HttpResponse refused =
              ErrorResponse(403, "managing access needs admin over every project; " +
                                     principal.token_name + " is limited to some");
          refused.refusal = "missing_scope";
          return refused;
        }
        return handler(request, principal);
      });
}

HttpResponse Json(int status, const json& body) {
  HttpResponse response{status, body.dump() + "\n", "application/json", {}, {}};
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

json Time(std::optional<common::UnixSeconds> at) {
  return at ? json(common::FormatRfc3339(*at)) : json(nullptr);
}

std::optional<std::string> NameIn(const HttpRequest& request, std::string_view prefix) {
  const std::string name = request.path.substr(prefix.size());
  if (name.empty() || name.size() > kMostNameBytes) return std::nullopt;
  return name;
}

common::Result<json> ObjectBody(const HttpRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return common::Status::InvalidArgument("the body must be a JSON object");
  }
  return body;
}

common::Result<std::vector<std::string>> Strings(const json& body, const char* key,
                                                 std::size_t most) {
  std::vector<std::string> out;
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) return out;
  if (!found->is_array() || found->size() > most) {
    return common::Status::InvalidArgument(std::string("'") + key + "' must be a list of at most " +
                                           std::to_string(most) + " strings");
  }
  for (const json& item : *found) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      return common::Status::InvalidArgument(std::string("'") + key +
                                             "' must hold non-empty strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

common::Result<std::string> String(const json& body, const char* key, std::size_t most) {
  const auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::string();
  if (!found->is_string() || found->get<std::string>().size() > most) {
    return common::Status::InvalidArgument(std::string("'") + key +
                                           "' must be a string of at most " + std::to_string(most) +
                                           " bytes");
  }
  return found->get<std::string>();
}

}  // namespace leadline::api::admin
