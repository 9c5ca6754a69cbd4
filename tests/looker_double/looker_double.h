// LookerDouble: a local stand-in for the Looker API 4.0 calls that trigger a datagroup, on a real
// loopback port, for tests (never part of the product). It serves `POST /api/4.0/login` (a form
// body with client_id and client_secret; 401 for others), `GET /api/4.0/datagroups`, `PATCH
// /api/4.0/datagroups/{id}` (`triggered_at` or `stale_before`, neither in the future: 422) and
// `DELETE /api/4.0/logout`, and checks `Authorization: token <access token>` on every call but
// the login (401 otherwise). Tokens can be made to expire in the middle of a run. Thread-safe:
// requests are served on the server's threads while tests read counters.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace leadline::testing {

struct LookerDoubleConfig {
  std::string client_id = "looker-client-id";
  std::string client_secret = "looker-client-secret";
  struct Datagroup {
    std::string id, model_name, name;
  };
  std::vector<Datagroup> datagroups = {{"1", "leadline", "leadline_refresh"},
                                       {"2", "leadline", "nightly"},
                                       {"3", "finance", "nightly"}};
};

class LookerDouble {
 public:
  explicit LookerDouble(LookerDoubleConfig config = {});
  ~LookerDouble();
  LookerDouble(const LookerDouble&) = delete;
  LookerDouble& operator=(const LookerDouble&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT", what `looker connect --url` takes

  // Every token issued so far expires when the next call with `method` arrives (before it is
  // checked), as a token does during a long run.
  void ExpireTokensOnNext(const std::string& method);
  // From now on (until called with false), every token expires as soon as it is issued: each
  // call is answered 401.
  void ExpireEveryToken(bool expire = true);
  // Every datagroup PATCH from now on waits `delay` before it is answered, as a slow Looker does.
  void DelayTriggers(std::chrono::milliseconds delay);

  int logins() const;   // login attempts, refused ones included
  int logouts() const;  // tokens ended by a logout
  int answered(int status) const;
  // The `triggered_at` values each datagroup (by id) was patched with, in order.
  std::map<std::string, std::vector<std::int64_t>> triggers() const;
  // Every request as "METHOD /path STATUS", in order.
  std::vector<std::string> calls() const;
  // The access tokens issued, for tests that check none shows in output or logs.
  std::vector<std::string> tokens_issued() const;

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace leadline::testing
