// How the double checks credentials: Cloud's API tokens (Basic with the account e-mail) and
// access tokens (Bearer) with their scopes, and Data Center's HTTP access tokens.
#include "double_state.h"

namespace leadline::testing {

std::string CloudAuth(const BitbucketDoubleConfig& c, const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  if (header == "Basic " + common::Base64(c.email + ":" + c.api_token)) return "api-token";
  if (header == "Bearer " + c.access_token) return "access-token";
  return "";
}

void DcError(httplib::Response& res, int status, const std::string& message,
             const nlohmann::json& exception_name) {
  SendJson(
      res, status,
      {{"errors",
        nlohmann::json::array(
            {{{"context", nullptr}, {"message", message}, {"exceptionName", exception_name}}})}});
}

bool CloudAllowed(const BitbucketDoubleConfig& c, const httplib::Request& req,
                  httplib::Response& res, const std::string& scope) {
  if (CloudAuth(c, req).empty()) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Basic realm=\"Bitbucket.org HTTP\"");
    return false;
  }
  // Cloud lists the credentials' scopes on its answers.
  std::string listed;
  for (const std::string& granted : c.granted_scopes) {
    listed += (listed.empty() ? "" : ", ") + granted;
  }
  res.set_header("x-oauth-scopes", listed);
  if (c.granted_scopes.contains(scope)) return true;
  CloudError(
      res, 403, "Your credentials lack one or more required privilege scopes.",
      {{"required", {scope}},
       {"granted", std::vector<std::string>(c.granted_scopes.begin(), c.granted_scopes.end())}});
  return false;
}

bool DcAuthorized(const BitbucketDoubleConfig& c, const httplib::Request& req,
                  httplib::Response& res) {
  if (req.get_header_value("Authorization") != "Bearer " + c.dc_token) {
    DcError(res, 401, "Authentication failed. Please check your credentials and try again.",
            "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException");
    return false;
  }
  res.set_header("X-AUSERNAME", c.dc_username);
  return true;
}

}  // namespace leadline::testing
