#include "api/read_helpers.h"

#include "api/access_gate.h"

namespace leadline::api {

using common::Result;
using common::Status;
using nlohmann::ordered_json;

constexpr std::size_t kMaxLimit = 500;

HttpResponse Json(const ordered_json& body) {
  HttpResponse response;
  response.body = body.dump() + "\n";
  return response;
}

Result<Page> ParsePage(const HttpRequest& request) {
  Page page;
  const auto number = [](const std::string& text, const char* name) -> Result<std::size_t> {
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument(std::string(name) + ": expected a whole number");
    }
    return static_cast<std::size_t>(std::stoul(text));
  };
  if (const auto limit = request.Query("limit")) {
    LEADLINE_ASSIGN_OR_RETURN(page.limit, number(*limit, "limit"));
    if (page.limit == 0 || page.limit > kMaxLimit) {
      return Status::InvalidArgument("limit: between 1 and " + std::to_string(kMaxLimit));
    }
  }
  if (const auto cursor = request.Query("cursor")) {
    LEADLINE_ASSIGN_OR_RETURN(page.offset, number(*cursor, "cursor"));
  }
  return page;
}

ordered_json Paginated(std::vector<ordered_json> items, const Page& page) {
  ordered_json out = {{"items", ordered_json::array()}, {"next", nullptr}};
  const std::size_t end = std::min(items.size(), page.offset + page.limit);
  for (std::size_t i = page.offset; i < end; ++i) out["items"].push_back(std::move(items[i]));
  if (end < items.size()) out["next"] = std::to_string(end);
  return out;
}

void AddReadRoute(HttpServer& server, ApiContext& context, const std::string& path,
                  ReadAnswer answer) {
  server.Route(
      "GET", path,
      Guarded(context, "read",
              [&context, answer](const HttpRequest& request, const auth::Principal& principal) {
                return answer(context, request, principal);
              }));
}

}  // namespace leadline::api
