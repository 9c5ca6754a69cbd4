#include "api/sign_in_throttle.h"

#include <arpa/inet.h>

#include <cstdio>

namespace leadline::api {

std::string SignInThrottle::ClientKey(const std::string& address) {
  unsigned char bytes[16] = {};
  if (inet_pton(AF_INET6, address.c_str(), bytes) != 1) return address;
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix, kMappedPrefix + 12, bytes)) {
    char ipv4[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, bytes + 12, ipv4, sizeof ipv4);
    return ipv4;
  }
  char key[64];
  std::snprintf(key, sizeof key, "%x:%x:%x:%x::/64", bytes[0] << 8 | bytes[1],
                bytes[2] << 8 | bytes[3], bytes[4] << 8 | bytes[5], bytes[6] << 8 | bytes[7]);
  return key;
}

std::optional<common::Seconds> SignInThrottle::Start(const std::string& client_address,
                                                     common::UnixSeconds now) {
  if (most_ <= 0) return std::nullopt;
  const std::string key = ClientKey(client_address);
  std::lock_guard lock(mutex_);
  auto found = clients_.find(key);
  if (found != clients_.end() && now - found->second.started_at >= window_) {
    found->second = {now, 0};  // its window ended: a new one begins
  }
  if (found == clients_.end()) {
    if (clients_.size() >= most_clients_) {
      std::erase_if(clients_,
                    [&](const auto& entry) { return now - entry.second.started_at >= window_; });
    }
    if (clients_.size() >= most_clients_) return std::nullopt;  // untracked; the store's cap holds
    found = clients_.emplace(key, Window{now, 0}).first;
  }
  Window& window = found->second;
  if (window.count >= most_) return window.started_at + window_ - now;
  ++window.count;
  return std::nullopt;
}

}  // namespace leadline::api
