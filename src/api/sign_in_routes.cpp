#include "api/sign_in_routes.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "api/access_gate.h"
#include "api/responses.h"
#include "api/session_cookie.h"
#include "api/sign_in_throttle.h"
#include "auth/api_tokens.h"
#include "auth/oidc_sign_in.h"
#include "auth/person_sessions.h"

namespace leadline::api {
namespace {

constexpr common::Seconds kAttemptLifetime = 10 * 60;
// Sign-ins under way at once; anyone may start one, so they are capped.
constexpr std::int64_t kMostAttempts = 10'000;
constexpr std::size_t kMostCodeBytes = 4096;
constexpr std::size_t kMostStateBytes = 256;
constexpr std::size_t kMostReturnToBytes = 1024;

std::string Escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// What the person at the browser is told: a small page with a title, what happened and what to
// do; a caller that does not take HTML (a script) gets {"error": ...} instead.
HttpResponse Page(const HttpRequest& request, int status, const std::string& title,
                  const std::string& message, const std::string& refusal = "") {
  HttpResponse response;
  if (request.Header("accept").find("text/html") == std::string::npos) {
    response = ErrorResponse(status, title + ": " + message);
  } else {
    response.status = status;
    response.content_type = "text/html; charset=utf-8";
    response.body = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                    Escaped(title) +
                    " · Leadline</title></head>\n<body><main data-testid=\"sign-in-refused\"><h1>" +
                    Escaped(title) + "</h1>\n<p>" + Escaped(message) +
                    "</p>\n<p><a href=\"/\">Back to Leadline</a></p></main></body></html>\n";
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  response.refusal = refusal;
  return response;
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse response;
  response.status = 302;
  response.content_type = "text/plain";
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// Only a path of this server: "/", "/?window=30d". Never "//host" or "/\host", which browsers
// read as another host.
std::string LocalPath(const std::optional<std::string>& wanted) {
  if (!wanted || wanted->empty() || wanted->size() > kMostReturnToBytes || (*wanted)[0] != '/' ||
      wanted->starts_with("//") || wanted->starts_with("/\\")) {
    return "/";
  }
  for (const unsigned char c : *wanted) {
    if (c < 0x20 || c == 0x7f || c == '\\') return "/";
  }
  return *wanted;
}

HttpResponse Login(ApiContext& context, auth::OidcSignIn& people, SignInThrottle& throttle,
                   const HttpRequest& request) {
  const common::UnixSeconds now = context.now();
  if (const auto wait = throttle.Start(request.remote_address, now)) {
    HttpResponse refused =
        Page(request, 429, "Too many sign-ins",
             "This address started too many sign-ins in the last 10 minutes. Try again in " +
                 common::FormatHumanDuration(*wait) + ".",
             "too_many_sign_ins");
    refused.headers.emplace_back("Retry-After", std::to_string(*wait));
    return refused;
  }
  const auto started = people.Start(LocalPath(request.Query("return_to")), now);
  if (!started.ok()) {
    return Page(request, 503, "Sign-in is unavailable", started.status().message(), "unavailable");
  }
  const common::Status saved = context.store.With([&](store::Store& store) {
    return store.sessions().SaveSignInAttempt(started->attempt, now - kAttemptLifetime,
                                              kMostAttempts);
  });
  if (!saved.ok())
    return Page(request, 503, "Sign-in is unavailable", saved.message(), "unavailable");
  return Redirect(started->authorization_url);
}

HttpResponse NoRole(const HttpRequest& request, const auth::OidcSettings& settings,
                    const auth::SignedInPerson& person) {
  std::string message = "You signed in as " + person.name + ", but ";
  message +=
      person.claim_values.empty()
          ? "the sign-in provider sent no '" + settings.roles_claim +
                "' values for you, so no role gives you access to Leadline."
          : "none of your '" + settings.roles_claim + "' values gives you access to Leadline.";
  message += settings.contact.empty()
                 ? " Ask the administrator of this Leadline server to map one of your groups to "
                   "the projects you need."
                 : " Ask " + settings.contact + " to give you access.";
  return Page(request, 403, "No access yet", message);
}

HttpResponse Callback(ApiContext& context, auth::OidcSignIn& people, const HttpRequest& request) {
  const auth::OidcSettings& settings = people.settings();
  const common::UnixSeconds now = context.now();
  const std::optional<std::string> state = request.Query("state");
  const std::optional<std::string> code = request.Query("code");
  const std::optional<std::string> error = request.Query("error");
  if (!state || state->empty() || state->size() > kMostStateBytes) {
    return Page(request, 401, "Sign-in failed",
                "The sign-in answer has no valid state: start again.", "bad_state");
  }
  auto attempt = context.store.With([&](store::Store& store) {
    return store.sessions().TakeSignInAttempt(auth::HashSecret(*state), now - kAttemptLifetime);
  });
  if (!attempt.ok())
    return Page(request, 503, "Sign-in is unavailable", attempt.status().message());
  if (!attempt->has_value()) {
    return Page(request, 401, "Sign-in failed",
                "This sign-in has expired or was finished already. Start again from Leadline.",
                "bad_state");
  }
  if (error) {
    const std::string what = error->substr(0, 64);
    return Page(request, 401, "Sign-in failed",
                "The sign-in provider did not sign you in (" + what + "). Start again.",
                "sign_in_refused");
  }
  if (!code || code->empty() || code->size() > kMostCodeBytes) {
    return Page(request, 400, "Sign-in failed",
                "The sign-in answer has no valid code: start again.", "sign_in_refused");
  }
  const auto person = people.Finish(*code, **attempt, now);
  if (!person.ok()) {
    const bool down = person.status().code() == common::StatusCode::kUnavailable;
    return Page(request, down ? 503 : 401, down ? "Sign-in is unavailable" : "Sign-in failed",
                person.status().message(), down ? "unavailable" : "sign_in_refused");
  }
  if (!auth::AccessOf(settings, person->claim_values)) {
    HttpResponse refused = NoRole(request, settings, *person);
    AuditCall(context, request, auth::PersonAuditName(person->name), refused.status);
    return refused;
  }
  const std::string secret = auth::RandomUrlSafe(32);
  model::PersonSession session;
  session.secret_hash = auth::HashSecret(secret);
  session.issuer = person->issuer;
  session.subject = person->subject;
  session.name = person->name;
  session.claim_values = person->claim_values;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + settings.session_lifetime;
  const auto stored = context.store.With(
      [&](store::Store& store) { return store.sessions().InsertSession(session); });
  if (!stored.ok()) return Page(request, 503, "Sign-in is unavailable", stored.status().message());
  HttpResponse response = Redirect((*attempt)->return_to);
  response.headers.emplace_back(
      "Set-Cookie", SetSessionCookie(secret, settings.session_lifetime, settings.secure()));
  AuditCall(context, request, auth::PersonAuditName(person->name), response.status);
  return response;
}

HttpResponse SignOut(ApiContext& context, auth::OidcSignIn& people, const HttpRequest& request) {
  const auth::OidcSettings& settings = people.settings();
  const std::optional<std::string> secret =
      CookieValue(request.Header("cookie"), SessionCookieName(settings.secure()));
  if (!secret) {
    HttpResponse response = ErrorResponse(401, "no session to end");
    response.refusal = "unknown_session";
    return response;
  }
  if (request.Header("origin") != settings.origin()) {
    HttpResponse response =
        ErrorResponse(403, "sign out from the dashboard at " + settings.origin());
    response.refusal = "cross_origin";
    return response;
  }
  const common::UnixSeconds now = context.now();
  auto ended = context.store.With([&](store::Store& store) -> common::Result<std::string> {
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::PersonSession> session,
                              store.sessions().LoadSession(auth::HashSecret(*secret)));
    if (!session || session->revoked_at) return std::string();
    LEADLINE_RETURN_IF_ERROR(store.sessions().RevokeSessions(session->id, "", now).status());
    return session->name;
  });
  if (!ended.ok()) return StatusResponse(ended.status());
  HttpResponse response{200, "{\"signed_out\": true}\n", "application/json", {}, {}};
  response.headers.emplace_back("Set-Cookie", ClearSessionCookie(settings.secure()));
  if (!ended->empty()) AuditCall(context, request, auth::PersonAuditName(*ended), 200);
  return response;
}

HttpResponse WhoAmI(const auth::Principal& principal) {
  nlohmann::json projects = nullptr;  // every project
  if (!principal.projects.empty()) projects = principal.projects;
  return HttpResponse{200,
                      nlohmann::json{{"name", principal.token_name},
                                     {"session", principal.session_id != 0},
                                     {"scopes", principal.scopes},
                                     {"projects", projects}}
                              .dump() +
                          "\n",
                      "application/json",
                      {},
                      {}};
}

// Counts what a route refused, as the gate does.
RouteHandler Counted(ApiContext& context, RouteHandler handler) {
  return [&context, handler = std::move(handler)](const HttpRequest& request) {
    HttpResponse response = handler(request);
    if (!response.refusal.empty()) context.refused(request, response);
    return response;
  };
}

}  // namespace

void AddSignInRoutes(HttpServer& server, ApiContext& context) {
  server.Route("GET", "/auth/providers", [&context](const HttpRequest&) {
    nlohmann::json oidc = nullptr;
    if (context.people != nullptr) {
      oidc = {{"name", context.people->settings().DisplayName()}, {"sign_in", "/auth/oidc/login"}};
    }
    return HttpResponse{
        200, nlohmann::json{{"oidc", oidc}}.dump() + "\n", "application/json", {}, {}};
  });
  server.Route("GET", "/auth/session",
               Guarded(context, "read", [](const HttpRequest&, const auth::Principal& principal) {
                 return WhoAmI(principal);
               }));
  if (context.people == nullptr) return;
  auth::OidcSignIn& people = *context.people;
  auto throttle =
      std::make_shared<SignInThrottle>(context.max_sign_ins_per_client, kAttemptLifetime);
  server.Route("GET", "/auth/oidc/login",
               Counted(context, [&context, &people, throttle](const HttpRequest& r) {
                 return Login(context, people, *throttle, r);
               }));
  server.Route("GET", "/auth/oidc/callback",
               Counted(context, [&context, &people](const HttpRequest& r) {
                 return Callback(context, people, r);
               }));
  server.Route("POST", "/auth/sign-out",
               Counted(context, [&context, &people](const HttpRequest& r) {
                 return SignOut(context, people, r);
               }));
}

}  // namespace leadline::api
