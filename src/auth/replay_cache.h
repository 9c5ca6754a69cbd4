// Remembers the CI tokens already used until they expire, so that a token copied out of a job's
// log cannot push again. Keyed by what names one token (ReplayKeyOf). Bounded: when it holds
// `capacity` unexpired tokens it refuses new ones (kFull) rather than forget one early, as a
// forgotten token could be replayed.
//
// Thread-safety: safe from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/jwt_verifier.h"
#include "common/time.h"

namespace leadline::auth {

// What names one token: its `jti`; without one (Bitbucket Pipelines' is not documented), the
// step (`stepUuid`) and `iat`; without those, `sub` and `iat`. Prefixed with the issuer.
std::string ReplayKeyOf(const VerifiedToken& token);

class ReplayCache {
 public:
  enum class Outcome { kFirstUse, kReplayed, kFull };

  explicit ReplayCache(std::size_t capacity = 200'000) : capacity_(capacity) {}

  // Records `key` until `expires_at` (plus the verifier's leeway, during which it is still
  // accepted); kReplayed when it was recorded before and has not expired.
  Outcome Remember(const std::string& key, common::UnixSeconds expires_at, common::UnixSeconds now);
  // Lets `key` be used again: its first use did not get through (the server failed it), so the
  // job's retry is not a replay.
  void Forget(const std::string& key);
  std::size_t size() const;

 private:
  void ForgetExpired(common::UnixSeconds now);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, common::UnixSeconds> until_;  // key -> forget after
  std::multimap<common::UnixSeconds, std::string> by_expiry_;   // the same, by time
};

}  // namespace leadline::auth
