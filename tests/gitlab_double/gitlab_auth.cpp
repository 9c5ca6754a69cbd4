// How the GitLab double checks tokens, the way GitLab's API guard does: PRIVATE-TOKEN,
// Authorization: Bearer or private_token=; unknown tokens get GitLab's plain 401, expired and
// revoked ones its invalid_token 401s, and a token lacking the endpoint's scopes a 403
// insufficient_scope naming the scopes that would do.
#include <algorithm>

#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

std::string CarriedToken(const httplib::Request& req) {
  if (req.has_header("PRIVATE-TOKEN")) return req.get_header_value("PRIVATE-TOKEN");
  const std::string authorization = req.get_header_value("Authorization");
  if (authorization.starts_with("Bearer ")) return authorization.substr(7);
  return req.get_param_value("private_token");
}

void InvalidToken(httplib::Response& res, const std::string& description) {
  res.set_header(
      "WWW-Authenticate",
      "Bearer realm=\"\", error=\"invalid_token\", error_description=\"" + description + "\"");
  SendGitLabJson(res, 401, {{"error", "invalid_token"}, {"error_description", description}});
}

bool Expired(const GitLabToken& token) {
  if (token.expires_at.empty()) return false;
  const auto expires = common::ParseRfc3339(token.expires_at);
  return !expires.ok() || common::NowUnixSeconds() >= expires.value();
}

}  // namespace

bool TokenActive(const GitLabToken& token) { return !token.revoked && !Expired(token); }

std::optional<GitLabToken> Authorize(const GitLabState& state, const httplib::Request& req,
                                     httplib::Response& res,
                                     const std::vector<std::string>& scopes) {
  const std::optional<GitLabToken> token = state.FindToken(CarriedToken(req));
  if (!token) {
    SendMessage(res, 401, "401 Unauthorized");
    return std::nullopt;
  }
  if (token->revoked) {
    InvalidToken(res, "Token was revoked. You have to re-authenticate.");
    return std::nullopt;
  }
  if (Expired(*token)) {
    InvalidToken(res, "Token is expired. You can either do re-authorization or token refresh.");
    return std::nullopt;
  }
  if (!scopes.empty() && std::none_of(scopes.begin(), scopes.end(), [&](const std::string& s) {
        return token->scopes.contains(s);
      })) {
    std::string needed;
    for (const std::string& scope : scopes) needed += (needed.empty() ? "" : " ") + scope;
    const std::string description =
        "The request requires higher privileges than provided by the access token.";
    res.set_header("WWW-Authenticate",
                   "Bearer realm=\"\", error=\"insufficient_scope\", "
                   "error_description=\"" +
                       description + "\", scope=\"" + needed + "\"");
    SendGitLabJson(
        res, 403,
        {{"error", "insufficient_scope"}, {"error_description", description}, {"scope", needed}});
    return std::nullopt;
  }
  return token;
}

bool Reaches(const GitLabToken& token, const std::string& path) {
  return token.reach.empty() || path == token.reach || path.starts_with(token.reach + "/");
}

nlohmann::json TokenUser(const GitLabState& state, const GitLabToken& token) {
  if (!token.bot) {
    nlohmann::json user = UserJson(state.Shape(), 1);
    user["created_at"] = GitLabTime(state.config().history_start - 365 * common::kDay);
    user["bot"] = false;
    user["email"] = "dev@example.com";
    user["is_admin"] = false;
    return user;
  }
  // Project and group access tokens belong to a bot user named after what they reach.
  int reached = 0;
  std::string kind = "project";
  const GitLabShape shape = state.Shape();
  for (const GitLabProject& project : Projects(shape)) {
    if (project.path == token.reach) reached = project.id;
  }
  for (const GitLabGroup& group : Groups(shape)) {
    if (group.full_path == token.reach) {
      reached = group.id;
      kind = "group";
    }
  }
  const std::string username = kind + "_" + std::to_string(reached) + "_bot_5b1f0e2a";
  return {{"id", 9000 + reached},
          {"username", username},
          {"name", token.name},
          {"state", "active"},
          {"locked", false},
          {"avatar_url", nullptr},
          {"web_url", state.url() + "/" + username},
          {"created_at", GitLabTime(state.config().history_start)},
          {"bot", true},
          {"is_admin", false}};
}

}  // namespace leadline::testing
