#include "http/pager.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

namespace leadline::http {
namespace {

using nlohmann::json;

// The message of Bitbucket's error bodies: {"type":"error","error":{"message":...}} (Cloud) or
// {"errors":[{"message":...}]} (Data Center).
std::string ServerMessage(const std::string& body) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return "";
  if (parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"].value("message", json()).is_string()) {
    return parsed["error"]["message"];
  }
  if (parsed.contains("errors") && parsed["errors"].is_array() && !parsed["errors"].empty() &&
      parsed["errors"][0].is_object() && parsed["errors"][0].value("message", json()).is_string()) {
    return parsed["errors"][0]["message"];
  }
  return "";
}

common::Status MalformedPage(const std::string& url, const std::string& why) {
  return common::Status::InvalidArgument("malformed page from " + RedactUrl(url) + ": " + why);
}

}  // namespace

std::string RequiredScopes(const std::string& body) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string scopes;
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"].contains("detail") && parsed["error"]["detail"].is_object() &&
      parsed["error"]["detail"].contains("required") &&
      parsed["error"]["detail"]["required"].is_array()) {
    for (const json& scope : parsed["error"]["detail"]["required"]) {
      if (scope.is_string()) scopes += (scopes.empty() ? "" : ", ") + scope.get<std::string>();
    }
  }
  return scopes;
}

common::Status HttpError(const HttpResponse& response, const std::string& url) {
  std::string message = "HTTP " + std::to_string(response.status) + " from " + RedactUrl(url);
  if (const std::string server = ServerMessage(response.body); !server.empty()) {
    message += ": " + server;
  }
  switch (response.status) {
    case 401:
      return common::Status::Unauthenticated(message);
    case 403:
      if (const std::string scopes = RequiredScopes(response.body); !scopes.empty()) {
        message += ": the token lacks the scope " + scopes;
      }
      return common::Status::PermissionDenied(message);
    case 404:
      return common::Status::NotFound(message);
    default:
      return response.status == 429 || response.status >= 500
                 ? common::Status::Unavailable(message)
                 : common::Status::FailedPrecondition(message);
  }
}

std::string EncodeQueryValue(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string WithQueryParameter(const std::string& url, const std::string& name,
                               const std::string& value) {
  const std::size_t fragment = url.find('#');
  std::string base = url.substr(0, fragment);
  const std::size_t query = base.find('?');
  std::string kept;
  if (query != std::string::npos) {
    std::size_t pos = query + 1;
    while (pos <= base.size()) {
      std::size_t end = base.find('&', pos);
      if (end == std::string::npos) end = base.size();
      const std::string pair = base.substr(pos, end - pos);
      if (!pair.empty() && pair.substr(0, pair.find('=')) != name) {
        kept += (kept.empty() ? "" : "&") + pair;
      }
      pos = end + 1;
    }
    base.resize(query);
  }
  kept += (kept.empty() ? "" : "&") + name + "=" + value;
  return base + "?" + kept;
}

namespace {

// The URL of the page after `page`, which `url` returned; empty when `page` is the last.
common::Result<std::string> NextPageUrl(PageStyle style, const json& page, const std::string& url,
                                        const std::string& first_url) {
  if (page["values"].empty()) return std::string();
  if (style == PageStyle::kBitbucketCloud) {
    const json& next = page.contains("next") ? page["next"] : json();
    if (next.is_null()) return std::string();
    if (!next.is_string()) return MalformedPage(url, "field 'next' is not a string");
    return next.get<std::string>();
  }
  const json& last = page.contains("isLastPage") ? page["isLastPage"] : json();
  if (!last.is_boolean()) {
    return MalformedPage(url, "field 'isLastPage' is missing or not a boolean");
  }
  if (last.get<bool>()) return std::string();
  const json& start = page.contains("nextPageStart") ? page["nextPageStart"] : json();
  if (!start.is_number_integer()) {
    return MalformedPage(url,
                         "field 'nextPageStart' is missing or not an integer on a page that is "
                         "not the last");
  }
  return WithQueryParameter(first_url, "start", std::to_string(start.get<std::int64_t>()));
}

}  // namespace

common::Status ReadListPage(
    PageStyle style, const HttpResponse& response, const std::string& url,
    const std::string& first_url,
    const std::function<common::Status(const json& values, const std::string& next_url)>& on_page) {
  if (!response.ok()) return HttpError(response, url);
  const json page = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (page.is_discarded()) return MalformedPage(url, "the body is not JSON");
  if (!page.is_object()) return MalformedPage(url, "the body is not a JSON object");
  if (!page.contains("values") || !page["values"].is_array()) {
    return MalformedPage(url, "field 'values' is missing or not an array");
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::string next, NextPageUrl(style, page, url, first_url));
  return on_page(page["values"], next);
}

common::Status ForEachPageUntil(HttpClient& client, PageStyle style, HttpRequest request,
                                const std::function<common::Result<Paging>(const Page&)>& on_page) {
  const std::string first_url = request.url;
  std::set<std::string> fetched;
  while (!request.url.empty()) {
    if (!fetched.insert(request.url).second) return common::Status::Ok();  // a looping `next`
    LEADLINE_ASSIGN_OR_RETURN(const HttpResponse response, client.Send(request));
    Paging paging = Paging::kContinue;
    std::string next_url;
    LEADLINE_RETURN_IF_ERROR(
        ReadListPage(style, response, request.url, first_url,
                     [&](const json& values, const std::string& next) -> common::Status {
                       next_url = next;
                       LEADLINE_ASSIGN_OR_RETURN(paging, on_page(Page{values, request.url, next}));
                       return common::Status::Ok();
                     }));
    if (paging == Paging::kStop) return common::Status::Ok();
    request.url = next_url;
  }
  return common::Status::Ok();
}

common::Status ForEachPage(HttpClient& client, PageStyle style, HttpRequest first,
                           const PageCallback& on_page) {
  return ForEachPageUntil(client, style, std::move(first),
                          [&](const Page& page) -> common::Result<Paging> {
                            LEADLINE_RETURN_IF_ERROR(on_page(page.values, page.url));
                            return Paging::kContinue;
                          });
}

}  // namespace leadline::http
