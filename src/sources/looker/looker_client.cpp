#include "sources/looker/looker_client.h"

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "http/pager.h"
#include "sources/contract/json_answer.h"

namespace leadline::sources::looker {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

constexpr char kApi[] = "/api/4.0";

// A string field, or a number's digits (Looker 4.0 sends ids as strings; older answers numbers).
std::string TextOf(const json& object, const char* field) {
  const auto found = object.find(field);
  if (found == object.end()) return "";
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
  return "";
}

std::string Bounded(std::string text, std::size_t most) {
  if (text.size() > most) text = text.substr(0, most) + "...";
  return text;
}

}  // namespace

Status Diagnose(const http::HttpResponse& response, const std::string& what) {
  std::string said;
  if (response.body.size() <= kMaxAnswerBytes) {
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
      said = TextOf(body, "message");
      if (const auto errors = body.find("errors"); errors != body.end() && errors->is_array()) {
        for (const json& error : *errors) {
          if (!error.is_object()) continue;
          const std::string field = TextOf(error, "field");
          const std::string message = TextOf(error, "message");
          if (!message.empty()) said += "; " + (field.empty() ? "" : field + ": ") + message;
        }
      }
    }
  }
  const std::string answered = "Looker answered " + std::to_string(response.status) + " to " +
                               what + (said.empty() ? "" : " (" + Bounded(said, 500) + ")");
  switch (response.status) {
    case 401:
      return Status::Unauthenticated(
          answered +
          ": the client id or secret is wrong, or the API key was deleted; make a new key "
          "(Admin > Users > Edit keys) and run `leadline looker connect` again");
    case 403:
      return Status::PermissionDenied(answered +
                                      ": the API user's role may not do this; it needs the "
                                      "see_datagroups and update_datagroups permissions");
    case 404:
      return Status::NotFound(answered);
    case 429:
      return Status::Unavailable(answered + ": Looker's rate limit is spent; try again later");
    default:
      if (response.status >= 500) return Status::Unavailable(answered + ": try again later");
      return Status::InvalidArgument(answered);
  }
}

LookerSession::LookerSession(http::HttpClient& client, LookerCredentials credentials)
    : client_(client), credentials_(std::move(credentials)) {
  credentials_.url = common::WithoutTrailingSlashes(credentials_.url);
}

LookerSession::~LookerSession() {
  if (!token_.empty()) (void)Logout();
}

http::HttpRequest LookerSession::Request(const std::string& method, const std::string& path) const {
  http::HttpRequest request;
  request.method = method;
  request.url = credentials_.url + kApi + path;
  request.headers.emplace_back("Accept", "application/json");
  return request;
}

Status LookerSession::Login() {
  http::HttpRequest request = Request("POST", "/login");
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = "client_id=" + http::EncodeQueryValue(credentials_.client_id) +
                 "&client_secret=" + http::EncodeQueryValue(credentials_.client_secret);
  token_.clear();
  ++logins_;
  const Result<http::HttpResponse> sent = client_.Send(request);
  if (!sent.ok()) {
    return sent.status().WithContext("logging in to Looker at " +
                                     http::RedactUrl(credentials_.url));
  }
  const http::HttpResponse& response = *sent;
  if (!response.ok()) return Diagnose(response, "the login at " + http::RedactUrl(request.url));
  LEADLINE_ASSIGN_OR_RETURN(const json body,
                            JsonAnswer(response, request.url, "Looker", kMaxAnswerBytes));
  std::string token = body.is_object() ? TextOf(body, "access_token") : "";
  if (token.empty() || token.size() > 4096) {
    return Status::InvalidArgument("Looker's login answer at " + http::RedactUrl(request.url) +
                                   " holds no access_token: is " +
                                   http::RedactUrl(credentials_.url) + " a Looker API host?");
  }
  token_ = std::move(token);
  return Status::Ok();
}

Result<http::HttpResponse> LookerSession::Send(http::HttpRequest request) {
  if (token_.empty()) LEADLINE_RETURN_IF_ERROR(Login());
  const std::size_t header = request.headers.size();
  request.headers.emplace_back("Authorization", "token " + token_);
  LEADLINE_ASSIGN_OR_RETURN(http::HttpResponse response, client_.Send(request));
  if (response.status != 401 || logged_in_again_) return response;
  // The token expired during the run: one new login, and the call once more.
  logged_in_again_ = true;
  LEADLINE_RETURN_IF_ERROR(Login());
  request.headers[header].second = "token " + token_;
  return client_.Send(request);
}

Result<std::vector<Datagroup>> LookerSession::Datagroups() {
  const http::HttpRequest request = Request("GET", "/datagroups");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, Send(request));
  if (!response.ok()) return Diagnose(response, "the datagroups' listing");
  LEADLINE_ASSIGN_OR_RETURN(const json body,
                            JsonAnswer(response, request.url, "Looker", kMaxAnswerBytes));
  if (!body.is_array()) {
    return Status::InvalidArgument("Looker's datagroups at " + http::RedactUrl(request.url) +
                                   " are not a list");
  }
  std::vector<Datagroup> out;
  for (const json& item : body) {
    if (!item.is_object()) continue;
    Datagroup datagroup;
    datagroup.id = TextOf(item, "id");
    datagroup.model_name = TextOf(item, "model_name");
    datagroup.name = TextOf(item, "name");
    if (const auto at = item.find("triggered_at"); at != item.end() && at->is_number()) {
      datagroup.triggered_at = at->get<common::UnixSeconds>();
    }
    if (!datagroup.id.empty()) out.push_back(std::move(datagroup));
  }
  return out;
}

Result<Datagroup> LookerSession::FindDatagroup(const std::string& model, const std::string& name) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Datagroup> all, Datagroups());
  std::vector<const Datagroup*> found;
  std::string there;
  for (const Datagroup& datagroup : all) {
    if (datagroup.name == name && (model.empty() || datagroup.model_name == model)) {
      found.push_back(&datagroup);
    }
    if (there.size() < 1000) {
      there += (there.empty() ? "" : ", ") + datagroup.model_name + "::" + datagroup.name;
    }
  }
  const std::string wanted = model.empty() ? "'" + name + "'" : "'" + model + "::" + name + "'";
  if (found.empty()) {
    return Status::NotFound("Looker has no datagroup " + wanted + "; " +
                            (there.empty() ? "it has none that the API user may see (is the "
                                             "LookML project deployed to production?)"
                                           : "it has: " + Bounded(there, 1000)));
  }
  if (found.size() > 1) {
    std::string models;
    for (const Datagroup* datagroup : found) {
      models += (models.empty() ? "" : ", ") + datagroup->model_name;
    }
    return Status::InvalidArgument("several models have a datagroup " + wanted + " (" +
                                   Bounded(models, 500) + "): name one with --model");
  }
  return *found.front();
}

Status LookerSession::Trigger(const std::string& id, common::UnixSeconds at) {
  http::HttpRequest request = Request("PATCH", "/datagroups/" + http::EncodeQueryValue(id));
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = json{{"triggered_at", at}}.dump();
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, Send(request));
  if (!response.ok()) return Diagnose(response, "the trigger of datagroup " + Bounded(id, 64));
  return Status::Ok();
}

Status LookerSession::Logout() {
  if (token_.empty()) return Status::Ok();
  http::HttpRequest request = Request("DELETE", "/logout");
  request.headers.emplace_back("Authorization", "token " + token_);
  token_.clear();
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client_.Send(request));
  // 404: the token had expired already, so there is nothing to end.
  if (!response.ok() && response.status != 404) return Diagnose(response, "the logout");
  return Status::Ok();
}

Result<TriggerOutcome> TriggerDatagroup(http::HttpClient& client,
                                        const LookerCredentials& credentials,
                                        const std::string& model, const std::string& name,
                                        common::UnixSeconds now) {
  LookerSession session(client, credentials);
  LEADLINE_RETURN_IF_ERROR(session.Login());
  TriggerOutcome outcome;
  LEADLINE_ASSIGN_OR_RETURN(outcome.datagroup, session.FindDatagroup(model, name));
  LEADLINE_RETURN_IF_ERROR(session.Trigger(outcome.datagroup.id, now));
  outcome.triggered_at = now;
  (void)session.Logout();  // the trigger holds either way; the token expires on its own
  outcome.logins = session.logins();
  return outcome;
}

Status CheckCredentials(http::HttpClient& client, const LookerCredentials& credentials) {
  LookerSession session(client, credentials);
  LEADLINE_RETURN_IF_ERROR(session.Login());
  return session.Logout();
}

}  // namespace leadline::sources::looker
