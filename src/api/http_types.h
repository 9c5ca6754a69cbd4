// The server's request and response, as handlers see them: plain values, so that handlers and
// their tests never include the HTTP library. Values only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadline::api {

struct HttpRequest {
  std::string method;                          // "GET"
  std::string path;                            // "/v1/deployments", without the query
  std::map<std::string, std::string> headers;  // names lowercased
  std::map<std::string, std::string> query;
  std::string body;
  std::string remote_address;  // the client's IP address, as text ("127.0.0.1", "::1")

  std::string Header(const std::string& lowercase_name) const {
    const auto found = headers.find(lowercase_name);
    return found == headers.end() ? std::string() : found->second;
  }
  std::optional<std::string> Query(const std::string& name) const {
    const auto found = query.find(name);
    if (found == query.end()) return std::nullopt;
    return found->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // Why the request was refused, in a word fit for a metric label ("no_token", "bad_signature",
  // "body_too_large", ...); empty for an answered request. Not sent to the client.
  std::string refusal;
};

}  // namespace leadline::api
