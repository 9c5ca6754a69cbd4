// One issuer's key set (JWKS), fetched only from the URL the administrator configured (never
// from anything a token says), cached for as long as its Cache-Control allows (between a minute
// and a day; an hour when it says nothing), refetched at most once a minute when a token names
// a `kid` it does not hold, and kept when a fetch fails: a key set that served before serves on
// while the issuer is unreachable.
//
// Ownership: owns its fetcher and the current set; sets handed out are shared and immutable.
// Thread-safety: safe from any thread; one fetch at a time.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "auth/jwk.h"
#include "auth/jwt_verifier.h"
#include "common/status.h"
#include "common/time.h"

namespace leadline::auth {

struct FetchedKeySet {
  int status = 0;
  std::string body;
  std::string cache_control;  // the response's Cache-Control header, if any
};
// GETs a URL (bounded in size and time by the caller's HTTP client).
using KeySetFetch = std::function<common::Result<FetchedKeySet>(const std::string& url)>;

class KeySetCache {
 public:
  KeySetCache(std::string url, KeySetFetch fetch)
      : url_(std::move(url)), fetch_(std::move(fetch)) {}

  // The current set, fetched first when there is none or it is stale.
  common::Result<std::shared_ptr<const KeySet>> Current(common::UnixSeconds now);
  // A token named a `kid` the set does not hold: fetch again unless the last fetch was under a
  // minute ago; the set in force either way.
  common::Result<std::shared_ptr<const KeySet>> Refresh(common::UnixSeconds now);

  // How long a fetched set is kept, from its Cache-Control header.
  static common::Seconds Lifetime(const std::string& cache_control);

 private:
  common::Result<std::shared_ptr<const KeySet>> FetchLocked(common::UnixSeconds now);

  const std::string url_;
  const KeySetFetch fetch_;
  std::mutex mutex_;
  std::shared_ptr<const KeySet> set_;  // the last good one
  common::UnixSeconds fresh_until_ = 0;
  common::UnixSeconds last_fetch_ = -1'000'000;
  std::string last_error_;
};

// Verifies `token` with the issuer's keys, refetching them once when its `kid` is unknown.
common::Result<VerifiedToken> VerifyWithKeySet(std::string_view token, const IssuerPolicy& policy,
                                               KeySetCache& keys, common::UnixSeconds now);

}  // namespace leadline::auth
