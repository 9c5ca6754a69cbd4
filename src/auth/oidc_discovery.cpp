#include "auth/oidc_discovery.h"

#include <nlohmann/json.hpp>

namespace leadline::auth {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

// The host part of an http(s) URL, without port or user information.
std::string HostOf(const std::string& url, std::size_t scheme_end) {
  std::string rest = url.substr(scheme_end);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (rest.starts_with("[")) return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

}  // namespace

bool IsSecureUrl(const std::string& url) {
  if (url.starts_with("https://")) return !HostOf(url, 8).empty();
  if (!url.starts_with("http://")) return false;
  const std::string host = HostOf(url, 7);
  return host == "localhost" || host == "[::1]" || host.starts_with("127.");
}

Result<ProviderMetadata> DiscoverProvider(http::HttpClient& client, const std::string& issuer) {
  if (!IsSecureUrl(issuer)) {
    return Status::InvalidArgument("the issuer '" + http::RedactUrl(issuer) +
                                   "' is not an https URL (http only on loopback)");
  }
  std::string base = issuer;
  while (base.ends_with("/")) base.pop_back();
  const std::string url = base + "/.well-known/openid-configuration";
  http::HttpRequest request;
  request.url = url;
  request.headers.emplace_back("Accept", "application/json");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  const auto fail = [&](const std::string& why) {
    return Status::Unavailable("cannot read the OpenID Provider's metadata at " +
                               http::RedactUrl(url) + ": " + why);
  };
  if (response.status != 200) return fail("HTTP " + std::to_string(response.status));
  const json document = json::parse(response.body, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return fail("not a JSON object");
  const auto text = [&](const char* name) {
    const auto it = document.find(name);
    return it != document.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  ProviderMetadata metadata;
  metadata.issuer = text("issuer");
  if (metadata.issuer != issuer) {
    return fail("it names the issuer '" + metadata.issuer + "', not '" + issuer +
                "' (the configured issuer must match it exactly)");
  }
  metadata.authorization_endpoint = text("authorization_endpoint");
  metadata.token_endpoint = text("token_endpoint");
  metadata.jwks_uri = text("jwks_uri");
  metadata.end_session_endpoint = text("end_session_endpoint");
  for (const auto& [name, value] :
       {std::pair{"jwks_uri", &metadata.jwks_uri},
        std::pair{"authorization_endpoint", &metadata.authorization_endpoint},
        std::pair{"token_endpoint", &metadata.token_endpoint}}) {
    if (value->empty()) return fail(std::string("it has no ") + name);
    if (!IsSecureUrl(*value)) return fail(std::string(name) + " is not an https URL");
  }
  if (!metadata.end_session_endpoint.empty() && !IsSecureUrl(metadata.end_session_endpoint)) {
    return fail("end_session_endpoint is not an https URL");
  }
  if (const auto algs = document.find("id_token_signing_alg_values_supported");
      algs != document.end() && algs->is_array()) {
    for (const json& alg : *algs) {
      if (alg.is_string()) metadata.signing_algorithms.push_back(alg.get<std::string>());
    }
  }
  return metadata;
}

KeySetFetch KeySetFetchOver(http::HttpClient& client) {
  return [&client](const std::string& url) -> Result<FetchedKeySet> {
    if (!IsSecureUrl(url)) {
      return Status::InvalidArgument("the key set URL is not an https URL (http only on loopback)");
    }
    http::HttpRequest request;
    request.url = url;
    request.headers.emplace_back("Accept", "application/json");
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
    return FetchedKeySet{response.status, response.body,
                         response.Header("cache-control").value_or("")};
  };
}

}  // namespace leadline::auth
