#include "store/sql/webhook_rows.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace leadline::store::sql {
namespace {

constexpr const char* kColumns =
    "id, delivery_id, connection_id, event_key, attempt, received_at, applied_at, outcome, "
    "repository";

model::WebhookDelivery ReadDelivery(const Statement& stmt) {
  model::WebhookDelivery d;
  d.id = stmt.ColumnInt(0);
  d.delivery_id = std::string(stmt.ColumnText(1));
  d.connection_id = stmt.ColumnInt(2);
  d.event_key = std::string(stmt.ColumnText(3));
  d.attempt = static_cast<int>(stmt.ColumnInt(4));
  d.received_at = stmt.ColumnInt(5);
  if (!stmt.ColumnIsNull(6)) d.applied_at = stmt.ColumnInt(6);
  d.outcome = std::string(stmt.ColumnText(7));
  d.repository = std::string(stmt.ColumnText(8));
  return d;
}

// PostgreSQL's insert of a delivery's row, body and place among the waiting in one statement, so
// one round trip and atomic by itself (no savepoint: SQLite cannot insert from a WITH clause,
// PostgreSQL can). Its changes: 1 when the delivery was new, 0 for a retry of one already kept.
const std::string kInsertDeliveryWithBody =
    "WITH row AS (INSERT INTO webhook_inbox (delivery_id, connection_id, event_key, attempt, "
    "received_at, repository, outcome) VALUES (?, ?, ?, ?, ?, ?, '') ON CONFLICT (delivery_id) DO "
    "NOTHING RETURNING id), body AS (INSERT INTO webhook_bodies (delivery, body) SELECT id, ? "
    "FROM row) INSERT INTO webhook_pending (delivery) SELECT id FROM row";

// The newest delivery each server applied of each connection and repository, kept as it marks
// them, in its own row (see SQLite's migration 39): KeepNewestApplied(placeholder of the owner),
// a FROM of rows with id, connection_id and repository grouped by the last two, then kNewerOnly.
std::string KeepNewestApplied(const char* owner) {
  return std::string(
             "INSERT INTO webhook_newest_applied (connection_id, repository, applied_by, "
             "delivery) SELECT connection_id, repository, ") +
         owner + ", MAX(id)";
}
constexpr const char* kNewerOnly =
    " ON CONFLICT (connection_id, repository, applied_by) DO UPDATE SET delivery = "
    "excluded.delivery WHERE excluded.delivery > webhook_newest_applied.delivery";

}  // namespace

Result<bool> InsertDelivery(Connection& db, const model::WebhookDelivery& d) {
  // The row and its body together, inside a caller's transaction or as one of their own.
  // Statements kept prepared: every delivery of the intake runs them.
  if (db.engine() == sql::Engine::kPostgres) {
    LEADLINE_ASSIGN_OR_RETURN(auto both, db.PrepareCached(kInsertDeliveryWithBody));
    LEADLINE_RETURN_IF_ERROR(both.Bind(1, d.delivery_id)
                                 .Bind(2, d.connection_id)
                                 .Bind(3, d.event_key)
                                 .Bind(4, std::int64_t{d.attempt})
                                 .Bind(5, d.received_at)
                                 .Bind(6, d.repository)
                                 .Bind(7, d.body)
                                 .Run());
    return db.Changes() > 0;  // 0: a retry of a delivery already kept
  }
  if (!db.InTransaction()) {  // PostgreSQL takes a savepoint only inside a transaction
    LEADLINE_RETURN_IF_ERROR(db.Begin());
    Result<bool> inserted = InsertDelivery(db, d);
    if (!inserted.ok()) {
      db.Rollback();
      return inserted;
    }
    LEADLINE_RETURN_IF_ERROR(db.Commit());
    return inserted;
  }
  LEADLINE_ASSIGN_OR_RETURN(auto savepoint, db.PrepareCached("SAVEPOINT delivery"));
  LEADLINE_RETURN_IF_ERROR(savepoint.Run());
  Result<bool> inserted = [&]() -> Result<bool> {
    LEADLINE_ASSIGN_OR_RETURN(
        auto row,
        db.PrepareCached("INSERT INTO webhook_inbox (delivery_id, connection_id, event_key, "
                         "attempt, received_at, repository, outcome) "
                         "VALUES (?, ?, ?, ?, ?, ?, '') ON CONFLICT (delivery_id) DO NOTHING "
                         "RETURNING id"));
    row.Bind(1, d.delivery_id)
        .Bind(2, d.connection_id)
        .Bind(3, d.event_key)
        .Bind(4, std::int64_t{d.attempt})
        .Bind(5, d.received_at)
        .Bind(6, d.repository);
    LEADLINE_ASSIGN_OR_RETURN(const bool new_row, row.Step());
    if (!new_row) return false;  // a retry of a delivery already kept
    const std::int64_t id = row.ColumnInt(0);
    LEADLINE_RETURN_IF_ERROR(row.Step().status());  // RETURNING finishes on the next step
    LEADLINE_ASSIGN_OR_RETURN(
        auto body, db.PrepareCached("INSERT INTO webhook_bodies (delivery, body) VALUES (?, ?)"));
    LEADLINE_RETURN_IF_ERROR(body.Bind(1, id).Bind(2, d.body).Run());
    LEADLINE_ASSIGN_OR_RETURN(
        auto pending, db.PrepareCached("INSERT INTO webhook_pending (delivery) VALUES (?)"));
    LEADLINE_RETURN_IF_ERROR(pending.Bind(1, id).Run());
    return true;
  }();
  if (!inserted.ok()) {
    (void)db.Exec("ROLLBACK TO delivery; RELEASE delivery");
    return inserted;
  }
  LEADLINE_ASSIGN_OR_RETURN(auto release, db.PrepareCached("RELEASE delivery"));
  LEADLINE_RETURN_IF_ERROR(release.Run());
  return inserted;
}

std::vector<Result<bool>> InsertDeliveries(
    Connection& db, const std::vector<const model::WebhookDelivery*>& deliveries) {
  std::vector<Result<bool>> inserted;
  if (db.engine() == sql::Engine::kPostgres) {
    // The whole transaction in one round trip.
    std::vector<std::vector<Parameter>> runs;
    runs.reserve(deliveries.size());
    for (const model::WebhookDelivery* d : deliveries) {
      runs.push_back({d->delivery_id, d->connection_id, d->event_key, std::int64_t{d->attempt},
                      d->received_at, d->repository, d->body});
    }
    std::size_t failed_run = deliveries.size();
    Result<std::vector<std::int64_t>> changes =
        db.RunEachInTransaction(kInsertDeliveryWithBody, runs, &failed_run);
    if (changes.ok()) {
      for (const std::int64_t changed : *changes) inserted.push_back(changed > 0);
    } else if (failed_run < deliveries.size()) {
      // One delivery failed and took the transaction with it: each on its own, so that the
      // failure stays that delivery's.
      for (const model::WebhookDelivery* d : deliveries) inserted.push_back(InsertDelivery(db, *d));
    } else {
      inserted.assign(deliveries.size(), changes.status());
    }
    return inserted;
  }
  // SQLite: each delivery under a savepoint of its own, so that a failure stays its own.
  if (Status begun = db.Begin(); !begun.ok()) {
    inserted.assign(deliveries.size(), begun);
    return inserted;
  }
  for (const model::WebhookDelivery* d : deliveries) inserted.push_back(InsertDelivery(db, *d));
  if (Status committed = db.Commit(); !committed.ok()) {
    if (db.InTransaction()) db.Rollback();
    inserted.assign(deliveries.size(), committed);
  }
  return inserted;
}

namespace {

// The first waiting delivery no server holds, and the first delivery of the next run a server
// holds after it: the deliveries from the one up to before the other are free. 0 where no waiting
// delivery is free.
Result<std::pair<std::int64_t, std::int64_t>> FirstFreeRun(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto first,
      db.PrepareCached("SELECT delivery FROM webhook_pending WHERE NOT EXISTS (SELECT 1 FROM "
                       "webhook_claims WHERE webhook_pending.delivery BETWEEN first_delivery AND "
                       "last_delivery) ORDER BY delivery LIMIT 1"));
  LEADLINE_ASSIGN_OR_RETURN(const bool any, first.Step());
  if (!any) return std::pair<std::int64_t, std::int64_t>{0, 0};
  const std::int64_t from = first.ColumnInt(0);
  first.Reset();
  LEADLINE_ASSIGN_OR_RETURN(auto next,
                            db.PrepareCached("SELECT MIN(first_delivery) FROM webhook_claims WHERE "
                                             "first_delivery > ?"));
  next.Bind(1, from);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, next.Step());
  const std::int64_t before =
      row && !next.ColumnIsNull(0) ? next.ColumnInt(0) : std::numeric_limits<std::int64_t>::max();
  return std::pair<std::int64_t, std::int64_t>{from, before};
}

Result<std::vector<model::WebhookDelivery>> ClaimRun(Connection& db, const std::string& owner,
                                                     common::UnixSeconds now,
                                                     common::UnixSeconds until, std::size_t limit) {
  if (db.engine() == Engine::kPostgres) {
    // One claimer at a time, so that two runs never overlap: a lock of the transaction's that
    // only claimers take, so that reads, renewals, marks and releases go on (a table lock that
    // claimers alone conflict on also held up every renewal and release). Two-key form, so
    // neither the migration lock (one key) nor the repositories' (first key "LLRY") meets it.
    LEADLINE_RETURN_IF_ERROR(db.Exec("SELECT pg_advisory_xact_lock(1818583396, 1)"));
  }
  // Runs whose lease ended are taken over; this server's own run of before is claimed afresh.
  LEADLINE_ASSIGN_OR_RETURN(
      auto ended,
      db.PrepareCached("DELETE FROM webhook_claims WHERE claimed_until < ? OR owner = ?"));
  LEADLINE_RETURN_IF_ERROR(ended.Bind(1, now).Bind(2, owner).Run());
  LEADLINE_ASSIGN_OR_RETURN(const auto free_run, FirstFreeRun(db));
  const auto [from, before] = free_run;
  if (from == 0) return std::vector<model::WebhookDelivery>();
  LEADLINE_ASSIGN_OR_RETURN(
      auto last,
      db.PrepareCached("SELECT MAX(delivery) FROM (SELECT delivery FROM webhook_pending WHERE "
                       "delivery >= ? AND delivery < ? ORDER BY delivery LIMIT ?) AS run"));
  last.Bind(1, from).Bind(2, before).Bind(3, static_cast<std::int64_t>(limit));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, last.Step());
  if (!row || last.ColumnIsNull(0)) return std::vector<model::WebhookDelivery>();
  const std::int64_t to = last.ColumnInt(0);
  last.Reset();
  LEADLINE_ASSIGN_OR_RETURN(auto claim,
                            db.PrepareCached("INSERT INTO webhook_claims (owner, first_delivery, "
                                             "last_delivery, claimed_until) VALUES (?, ?, ?, ?)"));
  LEADLINE_RETURN_IF_ERROR(claim.Bind(1, owner).Bind(2, from).Bind(3, to).Bind(4, until).Run());
  // Every delivery of the run waiting now: the run's ids are handed out before their
  // transactions commit, so one may have been committed since the run was read. One committed
  // after this read waits for the run's release, then goes to the next claim.
  LEADLINE_ASSIGN_OR_RETURN(
      auto held, db.PrepareCached(
                     std::string("SELECT ") + kColumns +
                     ", CASE repository WHEN '' THEN (SELECT b.body FROM webhook_bodies b "
                     "WHERE b.delivery = webhook_inbox.id) ELSE '' END FROM webhook_pending "
                     "JOIN webhook_inbox ON webhook_inbox.id = webhook_pending.delivery WHERE "
                     "webhook_pending.delivery BETWEEN ? AND ? ORDER BY webhook_pending.delivery"));
  held.Bind(1, from).Bind(2, to);
  std::vector<model::WebhookDelivery> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool more, held.Step());
    if (!more) break;
    model::WebhookDelivery d = ReadDelivery(held);
    d.body = std::string(held.ColumnText(9));  // only where the intake kept no repository
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<std::vector<model::WebhookDelivery>> ClaimDeliveries(Connection& db,
                                                            const std::string& owner,
                                                            common::UnixSeconds now,
                                                            common::UnixSeconds until,
                                                            std::size_t limit) {
  // A claim is one row per server: the run of waiting deliveries it holds, from the first free
  // one up to `limit` of them, never into another server's run. Waiting rows are only inserted
  // and deleted, so claiming and renewing write one row, not one per delivery.
  if (db.InTransaction()) return ClaimRun(db, owner, now, until, limit);  // the caller's
  LEADLINE_RETURN_IF_ERROR(db.Begin());
  Result<std::vector<model::WebhookDelivery>> claimed = ClaimRun(db, owner, now, until, limit);
  if (!claimed.ok()) {
    db.Rollback();
    return claimed;
  }
  LEADLINE_RETURN_IF_ERROR(db.Commit());
  return claimed;
}

Status RenewDeliveryClaims(Connection& db, const std::string& owner, common::UnixSeconds until) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.PrepareCached("UPDATE webhook_claims SET claimed_until = ? WHERE owner = ?"));
  return stmt.Bind(1, until).Bind(2, owner).Run();
}

Status ReleaseDeliveryClaims(Connection& db, const std::string& owner) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.PrepareCached("DELETE FROM webhook_claims WHERE owner = ?"));
  return stmt.Bind(1, owner).Run();
}

Result<std::int64_t> MarkDeliveriesApplied(Connection& db, const std::vector<std::int64_t>& ids,
                                           const std::string& owner, common::UnixSeconds at,
                                           const std::string& outcome) {
  if (ids.empty()) return 0;
  // No longer waiting, and the outcome on each row, together; only those `owner` still holds.
  if (db.engine() == Engine::kPostgres) {
    // One statement for them all: its planning and set-up cost as much as its rows. The run's
    // row is locked for share: a server taking the run over (its lease ended) deletes that row,
    // so either it waits for this mark, or this mark finds the run gone and marks nothing.
    std::string list = "{";
    for (const std::int64_t id : ids) list += std::to_string(id) + ",";
    list.back() = '}';
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db.PrepareCached(
            std::string("WITH held AS MATERIALIZED (SELECT first_delivery, "
                        "last_delivery FROM webhook_claims WHERE owner = ?4 FOR "
                        "SHARE), done AS (DELETE FROM webhook_pending WHERE delivery "
                        "= ANY (CAST(?3 AS bigint[])) AND EXISTS (SELECT 1 FROM held "
                        "WHERE delivery BETWEEN first_delivery AND last_delivery) "
                        "RETURNING delivery), marked AS (UPDATE webhook_inbox SET applied_at = "
                        "?1, outcome = ?2, applied_by = ?4 WHERE id IN (SELECT "
                        "delivery FROM done) RETURNING id, connection_id, "
                        "repository), newest AS (") +
            KeepNewestApplied("?4") + " FROM marked GROUP BY connection_id, repository" +
            kNewerOnly + ") SELECT COUNT(*) FROM marked"));
    stmt.Bind(1, at).Bind(2, outcome).Bind(3, list).Bind(4, owner);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    return row ? stmt.ColumnInt(0) : 0;
  }
  const bool own_transaction = !db.InTransaction();
  if (own_transaction) LEADLINE_RETURN_IF_ERROR(db.Begin());
  Result<std::int64_t> marked = [&]() -> Result<std::int64_t> {
    LEADLINE_ASSIGN_OR_RETURN(
        auto done, db.PrepareCached("DELETE FROM webhook_pending WHERE delivery = ?1 AND "
                                    "EXISTS (SELECT 1 FROM webhook_claims WHERE owner "
                                    "= ?2 AND ?1 BETWEEN first_delivery AND "
                                    "last_delivery)"));
    LEADLINE_ASSIGN_OR_RETURN(
        auto applied, db.PrepareCached("UPDATE webhook_inbox SET applied_at = ?, outcome = ?, "
                                       "applied_by = ? WHERE id = ?"));
    LEADLINE_ASSIGN_OR_RETURN(
        auto newest,
        db.PrepareCached(KeepNewestApplied("?2") +
                         " FROM webhook_inbox WHERE id = ?1 GROUP BY connection_id, repository" +
                         kNewerOnly));
    std::int64_t count = 0;
    for (const std::int64_t id : ids) {
      LEADLINE_RETURN_IF_ERROR(done.Bind(1, id).Bind(2, owner).Run());
      if (db.Changes() != 1) continue;  // another server's now
      LEADLINE_RETURN_IF_ERROR(
          applied.Bind(1, at).Bind(2, outcome).Bind(3, owner).Bind(4, id).Run());
      LEADLINE_RETURN_IF_ERROR(newest.Bind(1, id).Bind(2, owner).Run());
      ++count;
    }
    return count;
  }();
  if (!own_transaction) return marked;
  if (!marked.ok()) {
    db.Rollback();
    return marked;
  }
  LEADLINE_RETURN_IF_ERROR(db.Commit());
  return marked;
}

Result<std::int64_t> CountUnappliedDeliveries(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT COUNT(*) FROM webhook_pending"));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? stmt.ColumnInt(0) : 0;
}

namespace {

// Inbox ids grow with arrival: the newest delivery received before `before` (a read, which holds
// up no writer), up to which a pruning deletes; none when there is none.
Result<std::optional<std::int64_t>> NewestReceivedBefore(Connection& db,
                                                         common::UnixSeconds before) {
  LEADLINE_ASSIGN_OR_RETURN(auto newest,
                            db.Prepare("SELECT id FROM webhook_inbox WHERE received_at < ? "
                                       "ORDER BY id DESC LIMIT 1"));
  newest.Bind(1, before);
  LEADLINE_ASSIGN_OR_RETURN(const bool any, newest.Step());
  if (!any) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(newest.ColumnInt(0));
}

// Runs `prune` (a DELETE of the oldest rows up to id ?1, at most ?2 of them) 500 rows to a
// transaction until none are left or `most` are deleted; returns how many.
Result<std::int64_t> PruneInRounds(Connection& db, Statement& prune, std::int64_t last_id,
                                   std::int64_t most) {
  constexpr std::int64_t kPerTransaction = 500;
  std::int64_t pruned = 0;
  while (pruned < most) {
    LEADLINE_RETURN_IF_ERROR(
        prune.Bind(1, last_id).Bind(2, std::min(kPerTransaction, most - pruned)).Run());
    pruned += db.Changes();
    if (db.Changes() < kPerTransaction) break;  // none left
  }
  return pruned;
}

// The bodies of the applied deliveries up to `last_id`.
Result<std::int64_t> PruneBodiesUpTo(Connection& db, std::int64_t last_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto prune,
      db.Prepare("DELETE FROM webhook_bodies WHERE delivery IN (SELECT b.delivery FROM "
                 "webhook_bodies b JOIN webhook_inbox i ON i.id = b.delivery WHERE b.delivery "
                 "<= ? AND i.applied_at IS NOT NULL ORDER BY b.delivery LIMIT ?)"));
  return PruneInRounds(db, prune, last_id, std::numeric_limits<std::int64_t>::max());
}

}  // namespace

Result<std::int64_t> PruneDeliveryBodies(Connection& db, common::UnixSeconds received_before) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> last_id,
                            NewestReceivedBefore(db, received_before));
  if (!last_id) return 0;
  return PruneBodiesUpTo(db, *last_id);
}

Result<std::int64_t> PruneDeliveryRows(Connection& db, common::UnixSeconds received_before,
                                       std::int64_t most) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> last_id,
                            NewestReceivedBefore(db, received_before));
  if (!last_id) return 0;
  // Their bodies first (a body refers to its row), then the rows.
  LEADLINE_RETURN_IF_ERROR(PruneBodiesUpTo(db, *last_id).status());
  // Applied only, not a newest applied one the status pages show, and with its body gone. The
  // kept ones are few (a row per connection, repository and server), read again by each round.
  LEADLINE_ASSIGN_OR_RETURN(
      auto prune,
      db.Prepare("DELETE FROM webhook_inbox WHERE id IN (SELECT id FROM webhook_inbox WHERE id "
                 "<= ? AND applied_at IS NOT NULL AND id NOT IN (SELECT delivery FROM "
                 "webhook_newest_applied) AND NOT EXISTS (SELECT 1 FROM webhook_bodies WHERE "
                 "webhook_bodies.delivery = webhook_inbox.id) ORDER BY id LIMIT ?)"));
  return PruneInRounds(db, prune, *last_id, most);
}

// The first row of `stmt`, bound already, as a delivery without its body.
Result<std::optional<model::WebhookDelivery>> FirstDelivery(Statement& stmt) {
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<model::WebhookDelivery>();
  return std::optional<model::WebhookDelivery>(ReadDelivery(stmt));
}

Result<std::int64_t> DropSupersededNewestApplied(Connection& db) {
  constexpr const char* kSuperseded =
      "SELECT connection_id, repository, applied_by FROM webhook_newest_applied n WHERE delivery "
      "< (SELECT MAX(delivery) FROM webhook_newest_applied m WHERE m.connection_id = "
      "n.connection_id AND m.repository = n.repository)";
  // The newest row of each is never superseded, so what readers find stays. On PostgreSQL the
  // rows a server's mark has locked are passed over, not waited for: this never waits while
  // holding rows a mark waits for.
  LEADLINE_ASSIGN_OR_RETURN(
      auto drop,
      db.Prepare(db.engine() == Engine::kPostgres
                     ? std::string("DELETE FROM webhook_newest_applied d USING (") + kSuperseded +
                           " FOR UPDATE SKIP LOCKED) s WHERE d.connection_id = s.connection_id "
                           "AND d.repository = s.repository AND d.applied_by = s.applied_by"
                     : std::string("DELETE FROM webhook_newest_applied WHERE (connection_id, "
                                   "repository, applied_by) IN (") +
                           kSuperseded + ")"));
  LEADLINE_RETURN_IF_ERROR(drop.Run());
  return db.Changes();
}

Result<std::optional<model::WebhookDelivery>> FindDelivery(Connection& db,
                                                           const std::string& delivery_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string("SELECT ") + kColumns +
                                                  " FROM webhook_inbox WHERE delivery_id = ?"));
  stmt.Bind(1, delivery_id);
  return FirstDelivery(stmt);
}

namespace {

// The newest delivery whose `column` (connection_id or repository) is `value`, without its body:
// the newest of those waiting to be applied (a table as long as the backlog) and of those
// applied (a row per connection and repository).
template <typename T>
Result<std::optional<model::WebhookDelivery>> Newest(Connection& db, const std::string& column,
                                                     const T& value) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(std::string("SELECT ") + kColumns +
                 " FROM webhook_inbox WHERE id = (SELECT MAX(delivery) FROM (SELECT "
                 "MAX(delivery) AS delivery FROM webhook_newest_applied WHERE " +
                 column +
                 " = ?1 UNION ALL SELECT MAX(webhook_pending.delivery) FROM webhook_pending JOIN "
                 "webhook_inbox ON webhook_inbox.id = webhook_pending.delivery WHERE "
                 "webhook_inbox." +
                 column + " = ?1) AS newest)"));
  stmt.Bind(1, value);
  return FirstDelivery(stmt);
}

}  // namespace

Result<std::optional<model::WebhookDelivery>> LastDelivery(Connection& db,
                                                           std::int64_t connection_id) {
  return Newest(db, "connection_id", connection_id);
}

Result<std::optional<model::WebhookDelivery>> LastDeliveryFor(Connection& db,
                                                              const std::string& repository) {
  return Newest(db, "repository", repository);
}

}  // namespace leadline::store::sql
