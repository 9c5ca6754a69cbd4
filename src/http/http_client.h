// The HTTP client interface that sources call upstream APIs through, and the values it carries.
// Implementations: CurlHttpClient (the network), RetryingHttpClient (retries, backoff and a
// request budget around another client), and test doubles. A non-2xx answer is a response, not an
// error: only transport failures (DNS, TLS, refused, timed out) return a Status.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace leadline::http {

// How a request authenticates. The secret never appears in logs or error messages.
struct Credentials {
  // kToken: PagerDuty's "Authorization: Token token=<secret>"; kGenieKey: Opsgenie's
  // "Authorization: GenieKey <secret>".
  enum class Kind { kNone, kBasic, kBearer, kToken, kGenieKey };
  Kind kind = Kind::kNone;
  std::string username;  // kBasic only
  std::string secret;    // password or token

  static Credentials Basic(std::string username, std::string password) {
    return {Kind::kBasic, std::move(username), std::move(password)};
  }
  static Credentials Bearer(std::string token) { return {Kind::kBearer, "", std::move(token)}; }
  static Credentials Token(std::string token) { return {Kind::kToken, "", std::move(token)}; }
  static Credentials GenieKey(std::string key) { return {Kind::kGenieKey, "", std::move(key)}; }
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Credentials credentials;
};

// Header names compare without case, as HTTP says.
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;

  std::optional<std::string> Header(const std::string& name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual common::Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// The URL without user information or secret-bearing query parameters, for messages and logs.
std::string RedactUrl(const std::string& url);

}  // namespace leadline::http
