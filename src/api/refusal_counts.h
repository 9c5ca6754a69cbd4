// Requests refused without a valid identity (no token, an unsigned webhook delivery, a path no
// route serves, a body the server refused), counted in memory per minute, client address and
// reason until the audit keeper takes them and writes them (app/audit_keeper.h). A flood of such
// requests thus costs a map update each, not an audit row and a disk commit each: the log grows
// by a row per minute, address and reason, however many requests came. A client rotating
// through addresses is bounded too: past kMaxKeysPerMinute (address, reason) pairs in a minute,
// further addresses are counted together under "*". Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "common/time.h"
#include "model/access.h"

namespace leadline::api {

// Why `response` was refused, in a word for the metrics and the audit counts: its own word
// (response.refusal), else for what the server answers before any route ("unmatched":
// unknown_path or method_not_allowed; "refused": body_too_large or bad_request); empty for an
// answered request.
std::string RefusalOf(const HttpResponse& response, const std::string& route);

class RefusalCounts {
 public:
  static constexpr std::size_t kMaxKeysPerMinute = 1000;
  // Longer paths are cut (at a character's boundary): the path is only a hint of what was tried.
  static constexpr std::size_t kMaxPathBytes = 200;
  static constexpr std::size_t kMaxMethodBytes = 16;

  // Counts one request refused at `now` with `status` for `reason`.
  void Add(common::UnixSeconds now, const HttpRequest& request, int status,
           const std::string& reason);
  // What was counted since the last call, which is forgotten.
  std::vector<model::AuditRefusal> Take();

 private:
  using Key = std::tuple<common::UnixSeconds, std::string, std::string>;  // minute, address, reason

  std::mutex mutex_;
  std::map<Key, model::AuditRefusal> pending_;
  common::UnixSeconds minute_ = 0;                      // the latest minute counted
  std::set<std::pair<std::string, std::string>> seen_;  // its (address, reason) pairs, capped
};

}  // namespace leadline::api
