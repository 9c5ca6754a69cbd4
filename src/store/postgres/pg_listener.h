// PostgreSQL's ChangeListener (store/change_listener.h): a connection of its own that LISTENs on
// the notice channel and waits on its socket. Made again after the server drops it; notices sent
// while it was gone are lost, which is why listeners also look for work now and then. Not
// thread-safe: one thread waits.
#pragma once

#include <memory>
#include <string>

#include "store/change_listener.h"
#include "store/postgres/pg_connection.h"

namespace leadline::store::postgres {

class PgListener final : public ChangeListener {
 public:
  // Connects and listens; `display_name` names the server in errors, without the password.
  static common::Result<std::unique_ptr<PgListener>> Open(std::string url,
                                                          std::string display_name);
  common::Result<std::vector<std::string>> Wait(std::chrono::milliseconds timeout) override;

 private:
  PgListener(std::string url, std::string display_name)
      : url_(std::move(url)), display_name_(std::move(display_name)) {}
  common::Status Listen();

  const std::string url_;
  const std::string display_name_;
  std::unique_ptr<PgConnection> connection_;  // null while disconnected
};

}  // namespace leadline::store::postgres
