// The Looker API 4.0 calls that trigger a datagroup (reference: bi.md, "Explicit refresh"): log
// in with an API client id and secret (`POST /api/4.0/login`, a form body), list the datagroups
// (`GET /api/4.0/datagroups`) to find one by model and name, trigger it (`PATCH
// /api/4.0/datagroups/{id}` with `triggered_at`), and log out (`DELETE /api/4.0/logout`). Calls
// carry `Authorization: token <access token>`.
//
// A session logs in again once when Looker answers 401 to a call after the login (its token
// expired during a long run); a second 401 is an error, never a loop. Answers are read within
// a size bound. Neither the secret nor the access token appears in any message. A LookerSession
// is used from one thread at a time; it holds a reference to the HTTP client, which must outlive
// it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"

namespace leadline::sources::looker {

// The datagroup listing of a large instance stays well under this.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{8} << 20;

struct LookerCredentials {
  std::string url;  // the API's host: "https://acme.cloud.looker.com" (no /api/4.0)
  std::string client_id;
  std::string client_secret;
};

struct Datagroup {
  std::string id;
  std::string model_name;
  std::string name;
  std::optional<common::UnixSeconds> triggered_at;
};

class LookerSession {
 public:
  LookerSession(http::HttpClient& client, LookerCredentials credentials);
  ~LookerSession();  // logs out when still logged in; a failure is ignored
  LookerSession(const LookerSession&) = delete;
  LookerSession& operator=(const LookerSession&) = delete;

  // Unauthenticated when Looker refuses the client id and secret.
  common::Status Login();
  common::Result<std::vector<Datagroup>> Datagroups();
  // The datagroup `name` of model `model` (any model when empty); NotFound listing those there
  // are, InvalidArgument when `model` is empty and several models have one of that name.
  common::Result<Datagroup> FindDatagroup(const std::string& model, const std::string& name);
  // Marks the datagroup triggered at `at` (not in the future, as Looker requires).
  common::Status Trigger(const std::string& id, common::UnixSeconds at);
  common::Status Logout();

  int logins() const { return logins_; }

 private:
  // Sends `request` with the session's token; on a 401, logs in once more and sends it again.
  common::Result<http::HttpResponse> Send(http::HttpRequest request);
  http::HttpRequest Request(const std::string& method, const std::string& path) const;

  http::HttpClient& client_;
  LookerCredentials credentials_;
  std::string token_;  // empty when logged out
  int logins_ = 0;
  bool logged_in_again_ = false;
};

struct TriggerOutcome {
  Datagroup datagroup;
  common::UnixSeconds triggered_at = 0;
  int logins = 0;
};

// Logs in, finds the datagroup, triggers it at `now` and logs out.
common::Result<TriggerOutcome> TriggerDatagroup(http::HttpClient& client,
                                                const LookerCredentials& credentials,
                                                const std::string& model, const std::string& name,
                                                common::UnixSeconds now);

// Logs in and out: whether the credentials work.
common::Status CheckCredentials(http::HttpClient& client, const LookerCredentials& credentials);

// The error for an answer that is not 2xx: 401 names the credentials, 403 the API user's role,
// 404 what was not there, 429 and 5xx are Unavailable; Looker's own message is kept.
common::Status Diagnose(const http::HttpResponse& response, const std::string& what);

}  // namespace leadline::sources::looker
