// How many sign-ins one client may start: at most `most` in each `window` per client address (an
// IPv6 address counts by its /64, which one host is usually given whole). Starting a sign-in
// stores an attempt, and the store keeps at most 10,000 under way for everyone: without this
// limit, one client could fill that for 10 minutes and keep every person from signing in.
// The addresses tracked are bounded: when `most_clients` are tracked and none of their windows
// has ended, a new client is let through untracked (the store's cap still holds). Behind a
// reverse proxy every request comes from the proxy's address: `serve --max-sign-ins-per-client
// 0` turns the limit off there, and the proxy limits clients by their real address.
// Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/time.h"

namespace leadline::api {

class SignInThrottle {
 public:
  // `most` 0: no limit.
  SignInThrottle(int most, common::Seconds window, std::size_t most_clients = 10'000)
      : most_(most), window_(window), most_clients_(most_clients) {}

  // nullopt, counting the start, when `client_address` may start a sign-in at `now`; else the
  // seconds until it may.
  std::optional<common::Seconds> Start(const std::string& client_address, common::UnixSeconds now);

  // The key an address is counted under: "2001:db8:1:2::/64" for IPv6 (IPv4-mapped ones as IPv4),
  // the address itself otherwise.
  static std::string ClientKey(const std::string& address);

 private:
  struct Window {
    common::UnixSeconds started_at = 0;
    int count = 0;
  };

  const int most_;
  const common::Seconds window_;
  const std::size_t most_clients_;
  std::mutex mutex_;
  std::map<std::string, Window> clients_;
};

}  // namespace leadline::api
