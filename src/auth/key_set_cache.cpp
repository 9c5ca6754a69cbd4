#include "auth/key_set_cache.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "common/text.h"

namespace leadline::auth {
namespace {

constexpr common::Seconds kShortest = 60;
constexpr common::Seconds kLongest = 24 * 3600;
constexpr common::Seconds kUnsaid = 3600;
// Unknown `kid`s and failed fetches ask the issuer again at most this often.
constexpr common::Seconds kFetchInterval = 60;

}  // namespace

common::Seconds KeySetCache::Lifetime(const std::string& cache_control) {
  const std::string lower = common::AsciiLower(cache_control);
  const std::size_t at = lower.find("max-age=");
  if (at == std::string::npos) return kUnsaid;
  long long seconds = 0;
  std::size_t i = at + 8;
  if (i >= lower.size() || !std::isdigit(static_cast<unsigned char>(lower[i]))) return kUnsaid;
  for (; i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i])); ++i) {
    seconds = std::min<long long>(seconds * 10 + (lower[i] - '0'), kLongest);
  }
  return std::clamp<common::Seconds>(seconds, kShortest, kLongest);
}

common::Result<std::shared_ptr<const KeySet>> KeySetCache::FetchLocked(common::UnixSeconds now) {
  last_fetch_ = now;
  const auto failed = [&](const std::string& why) -> common::Result<std::shared_ptr<const KeySet>> {
    last_error_ = "cannot read the key set at " + url_ + ": " + why;
    if (set_) {
      std::fprintf(stderr, "leadline: warning: %s; keeping the keys read before\n",
                   last_error_.c_str());
      return set_;
    }
    return common::Status::Unavailable(last_error_);
  };
  common::Result<FetchedKeySet> fetched = fetch_(url_);
  if (!fetched.ok()) return failed(fetched.status().message());
  if (fetched->status != 200) return failed("HTTP " + std::to_string(fetched->status));
  common::Result<KeySet> parsed = ParseKeySet(fetched->body);
  if (!parsed.ok()) return failed(parsed.status().message());
  if (parsed->keys.empty()) return failed("it holds no key Leadline can use");
  for (const std::string& skipped : parsed->skipped) {
    std::fprintf(stderr, "leadline: note: key set at %s: left out %s\n", url_.c_str(),
                 skipped.c_str());
  }
  set_ = std::make_shared<const KeySet>(*std::move(parsed));
  fresh_until_ = now + Lifetime(fetched->cache_control);
  last_error_.clear();
  return set_;
}

common::Result<std::shared_ptr<const KeySet>> KeySetCache::Current(common::UnixSeconds now) {
  std::lock_guard lock(mutex_);
  if (set_ && now < fresh_until_) return set_;
  // Stale or missing; after a failure, the issuer is asked again only after the interval.
  if (now - last_fetch_ < kFetchInterval) {
    if (set_) return set_;
    return common::Status::Unavailable(last_error_);
  }
  return FetchLocked(now);
}

common::Result<std::shared_ptr<const KeySet>> KeySetCache::Refresh(common::UnixSeconds now) {
  std::lock_guard lock(mutex_);
  if (now - last_fetch_ < kFetchInterval) {
    if (set_) return set_;
    return common::Status::Unavailable(last_error_);
  }
  return FetchLocked(now);
}

common::Result<VerifiedToken> VerifyWithKeySet(std::string_view token, const IssuerPolicy& policy,
                                               KeySetCache& keys, common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(std::shared_ptr<const KeySet> set, keys.Current(now));
  common::Result<VerifiedToken> verified = VerifyJwt(token, policy, *set, now);
  if (verified.ok() || verified.status().code() != common::StatusCode::kNotFound) return verified;
  // An unknown `kid`: the issuer may have rotated its keys since.
  LEADLINE_ASSIGN_OR_RETURN(std::shared_ptr<const KeySet> refreshed, keys.Refresh(now));
  verified = VerifyJwt(token, policy, *refreshed, now);
  if (!verified.ok() && verified.status().code() == common::StatusCode::kNotFound) {
    return common::Status::Unauthenticated(verified.status().message());
  }
  return verified;
}

}  // namespace leadline::auth
