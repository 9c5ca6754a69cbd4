// What the read endpoints share: JSON answers, pagination (limit, cursor, next) and running an
// answer with the current metrics view and the request's scope. Thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/api_context.h"
#include "api/http_server.h"
#include "api/responses.h"
#include "api/scope_params.h"

namespace leadline::api {

HttpResponse Json(const nlohmann::ordered_json& body);

// limit (default 50, at most 500) and cursor (an offset into the ordered list, as text).
struct Page {
  std::size_t offset = 0;
  std::size_t limit = 50;
};
common::Result<Page> ParsePage(const HttpRequest& request);

// {"items": [...], "next": "<cursor>" | null}, of `items` from page.offset.
nlohmann::ordered_json Paginated(std::vector<nlohmann::ordered_json> items, const Page& page);

// A GET route behind the gate with the scope `read`.
using ReadAnswer = HttpResponse (*)(ApiContext&, const HttpRequest&, const auth::Principal&);
void AddReadRoute(HttpServer& server, ApiContext& context, const std::string& path,
                  ReadAnswer answer);

// Runs `answer(view, scope)` with the current view and the scope of the request's parameters.
template <typename Answer>
HttpResponse WithScope(ApiContext& context, const HttpRequest& request,
                       const auth::Principal& principal, Answer answer) {
  auto view = context.view();
  if (!view.ok()) return StatusResponse(view.status());
  auto scope = ResolveScope(**view, principal, request);
  if (!scope.ok()) return StatusResponse(scope.status());
  return answer(**view, *scope);
}

}  // namespace leadline::api
