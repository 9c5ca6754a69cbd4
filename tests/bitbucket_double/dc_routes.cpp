// Data Center 1.0 under the context path: unauthenticated application-properties, and the
// repositories the token can see, in Data Center's {isLastPage, nextPageStart} pages.
#include "double_state.h"

namespace leadline::testing {

void RegisterDataCenterRoutes(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string dc = c.dc_context_path + "/rest/api/1.0";
  http.Get(dc + "/application-properties", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200,
             {{"version", "9.2.3"},
              {"buildNumber", "9002003"},
              {"buildDate", "1717000000000"},
              {"displayName", "Bitbucket"}});
  });
  http.Get(dc + "/repos", [&c, &state](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer " + c.dc_token) {
      return SendJson(
          res, 401,
          {{"errors",
            {{{"context", nullptr},
              {"message", "Authentication failed. Please check your credentials and try again."},
              {"exceptionName",
               "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"}}}}});
    }
    res.set_header("X-AUSERNAME", c.dc_username);
    const int start = IntParam(req, "start", 0);
    const int limit = std::clamp(IntParam(req, "limit", 25), 1, 1000);
    nlohmann::json values = nlohmann::json::array();
    for (int i = start + 1; i <= std::min(start + limit, c.repositories); ++i) {
      values.push_back(
          {{"slug", RepoSlug(i)},
           {"id", i},
           {"name", RepoSlug(i)},
           {"scmId", "git"},
           {"state", "AVAILABLE"},
           {"project", {{"key", "PROJ"}, {"id", 1}, {"name", "Project"}}},
           {"links",
            {{"clone",
              {{{"href", "ssh://git@127.0.0.1:7999/proj/" + RepoSlug(i) + ".git"}, {"name", "ssh"}},
               {{"href",
                 state.base_url() + c.dc_context_path + "/scm/proj/" + RepoSlug(i) + ".git"},
                {"name", "http"}}}}}}});
    }
    const bool last = start + limit >= c.repositories;
    nlohmann::json body = {{"size", values.size()},
                           {"limit", limit},
                           {"start", start},
                           {"isLastPage", last},
                           {"values", values}};
    if (!last) body["nextPageStart"] = start + limit;
    SendJson(res, 200, body);
  });
}

}  // namespace leadline::testing
