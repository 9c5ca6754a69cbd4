#include "auth/replay_cache.h"

namespace leadline::auth {

std::string ReplayKeyOf(const VerifiedToken& token) {
  const std::string iat = token.issued_at ? std::to_string(*token.issued_at) : "";
  if (!token.jwt_id.empty()) return token.issuer + "\njti\n" + token.jwt_id;
  if (const auto step = token.Claim("stepUuid"))
    return token.issuer + "\nstep\n" + *step + "\n" + iat;
  return token.issuer + "\nsub\n" + token.subject + "\n" + iat;
}

ReplayCache::Outcome ReplayCache::Remember(const std::string& key, common::UnixSeconds expires_at,
                                           common::UnixSeconds now) {
  const common::UnixSeconds forget_after = expires_at + kMostLeeway;
  std::lock_guard lock(mutex_);
  ForgetExpired(now);
  if (until_.contains(key)) return Outcome::kReplayed;
  if (until_.size() >= capacity_) return Outcome::kFull;
  until_.emplace(key, forget_after);
  by_expiry_.emplace(forget_after, key);
  return Outcome::kFirstUse;
}

void ReplayCache::Forget(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto found = until_.find(key);
  if (found == until_.end()) return;
  const auto [first, last] = by_expiry_.equal_range(found->second);
  for (auto it = first; it != last; ++it) {
    if (it->second == key) {
      by_expiry_.erase(it);
      break;
    }
  }
  until_.erase(found);
}

std::size_t ReplayCache::size() const {
  std::lock_guard lock(mutex_);
  return until_.size();
}

void ReplayCache::ForgetExpired(common::UnixSeconds now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
    until_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

}  // namespace leadline::auth
