#include "store/postgres/pg_listener.h"

#include <libpq-fe.h>
#include <poll.h>

#include "store/sql/coordination_rows.h"

namespace leadline::store::postgres {

common::Result<std::unique_ptr<PgListener>> PgListener::Open(std::string url,
                                                             std::string display_name) {
  std::unique_ptr<PgListener> listener(new PgListener(std::move(url), std::move(display_name)));
  LEADLINE_RETURN_IF_ERROR(listener->Listen());
  return listener;
}

common::Status PgListener::Listen() {
  connection_.reset();
  LEADLINE_ASSIGN_OR_RETURN(auto connection, PgConnection::Open(url_, display_name_));
  LEADLINE_RETURN_IF_ERROR(connection->Exec("LISTEN \"" + std::string(sql::kNoticeChannel) + "\""));
  connection_ = std::move(connection);
  return common::Status::Ok();
}

common::Result<std::vector<std::string>> PgListener::Wait(std::chrono::milliseconds timeout) {
  if (!connection_) LEADLINE_RETURN_IF_ERROR(Listen());
  PGconn* conn = connection_->raw();
  std::vector<std::string> topics;
  const auto collect = [&] {
    while (PGnotify* notice = PQnotifies(conn)) {
      topics.emplace_back(notice->extra);
      PQfreemem(notice);
    }
  };
  collect();  // what an earlier read already took in
  if (!topics.empty()) return topics;
  pollfd socket{PQsocket(conn), POLLIN, 0};
  const int ready = poll(&socket, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) {
    connection_.reset();
    return common::Status::Unavailable("waiting for notices from " + display_name_ + " failed");
  }
  if (ready > 0 && (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK)) {
    connection_.reset();  // the next Wait connects again
    return common::Status::Unavailable("the notice connection to " + display_name_ + " was lost");
  }
  collect();
  return topics;
}

}  // namespace leadline::store::postgres
