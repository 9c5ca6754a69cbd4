#include "api/read_helpers.h"

#include "api/access_gate.h"

namespace leadline::api {

using common::Result;
using common::Status;
using nlohmann::ordered_json;

// A cursor is an offset this API gave; nine digits are far more rows than any list has.
constexpr std::size_t kMaxCursorDigits = 9;

HttpResponse Json(const ordered_json& body) {
  HttpResponse response;
  response.body = body.dump() + "\n";
  return response;
}

Result<Page> ParsePage(const HttpRequest& request) {
  Page page;
  const auto whole_number = [](const std::string& text) {
    return !text.empty() && text.size() <= kMaxCursorDigits &&
           text.find_first_not_of("0123456789") == std::string::npos;
  };
  const std::string limits = "limit: between 1 and " + std::to_string(kMaxPageSize);
  if (const auto limit = request.Query("limit")) {
    if (!whole_number(*limit)) return Status::InvalidArgument(limits);
    page.limit = static_cast<std::size_t>(std::stoul(*limit));
    if (page.limit == 0 || page.limit > kMaxPageSize) return Status::InvalidArgument(limits);
  }
  if (const auto cursor = request.Query("cursor")) {
    if (!whole_number(*cursor)) {
      return Status::InvalidArgument(
          "cursor: not a cursor of this list; pass the previous page's `next` as it is");
    }
    page.offset = static_cast<std::size_t>(std::stoul(*cursor));
  }
  return page;
}

ordered_json Paginated(std::size_t count, const Page& page,
                       const std::function<ordered_json(std::size_t)>& item) {
  ordered_json out = {{"items", ordered_json::array()}, {"next", nullptr}};
  const std::size_t end = std::min(count, page.offset + page.limit);
  for (std::size_t i = page.offset; i < end; ++i) out["items"].push_back(item(i));
  if (end < count) out["next"] = std::to_string(end);
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
