#include "http/http_client.h"

#include <strings.h>

#include <algorithm>
#include <cctype>

namespace leadline::http {
namespace {

// Query parameters whose values are secrets.
bool IsSecretParameter(const std::string& name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "access_token" || lower == "token" || lower == "private_token" ||
         lower == "password" || lower == "secret" || lower == "api_key";
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::optional<std::string> HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::string RedactUrl(const std::string& url) {
  std::string out = url;
  // scheme://user:password@host -> scheme://host
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t path = out.find_first_of("/?#", authority);
    const std::size_t at = out.rfind('@', path == std::string::npos ? out.size() : path);
    if (at != std::string::npos && at >= authority) out.erase(authority, at + 1 - authority);
  }
  const std::size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string redacted = out.substr(0, query + 1);
  std::size_t pos = query + 1;
  while (pos <= out.size()) {
    std::size_t end = out.find_first_of("&#", pos);
    if (end == std::string::npos) end = out.size();
    const std::string pair = out.substr(pos, end - pos);
    const std::size_t equals = pair.find('=');
    if (equals != std::string::npos && IsSecretParameter(pair.substr(0, equals))) {
      redacted += pair.substr(0, equals) + "=REDACTED";
    } else {
      redacted += pair;
    }
    if (end >= out.size()) break;
    redacted += out[end];
    if (out[end] == '#') {
      redacted += out.substr(end + 1);
      break;
    }
    pos = end + 1;
  }
  return redacted;
}

}  // namespace leadline::http
