// What the read endpoints share: JSON answers, pagination (limit, cursor, next) and running an
// answer with the current metrics view and the request's scope. Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/api_context.h"
#include "api/http_server.h"
#include "api/responses.h"
#include "api/scope_params.h"

namespace leadline::api {

HttpResponse Json(const nlohmann::ordered_json& body);

// limit (default 50, at most kMaxPageSize) and cursor (an offset into the ordered list, as text:
// the `next` of the previous page).
inline constexpr std::size_t kMaxPageSize = 100;
struct Page {
  std::size_t offset = 0;
  std::size_t limit = 50;
};
// InvalidArgument naming the limit for a limit out of bounds, or a cursor that is not one.
common::Result<Page> ParsePage(const HttpRequest& request);

// {"items": [...], "next": "<cursor>" | null}: rows [page.offset, page.offset + page.limit) of
// `count`, each made by item(i) (only the page's rows are turned into JSON).
nlohmann::ordered_json Paginated(std::size_t count, const Page& page,
                                 const std::function<nlohmann::ordered_json(std::size_t)>& item);

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
