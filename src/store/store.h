// The Store: Leadline's system of record. An interface so that SQLite (the embedded default) and
// PostgreSQL share one contract; the engine never sees it, the ingest and app layers do. Each
// aggregate (repositories, history, pull requests, the webhook inbox, ...) has a small interface
// of its own in store/tables/, reached through an accessor on the store's connection: code that
// needs one aggregate takes that interface, not the Store.
//
// Writes that belong together go through one Transaction: either all of a sync lands or none of
// it does, so bad input or a crash leaves the store as it was. A Store is used from one thread at a
// time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/tables/access.h"
#include "store/tables/analytics.h"
#include "store/tables/audit_log.h"
#include "store/tables/change_event_outbox.h"
#include "store/tables/connections.h"
#include "store/tables/coordination.h"
#include "store/tables/feedback_outbox.h"
#include "store/tables/history.h"
#include "store/tables/incidents.h"
#include "store/tables/pipelines.h"
#include "store/tables/pull_requests.h"
#include "store/tables/repositories.h"
#include "store/tables/sessions.h"
#include "store/tables/sync_cursors.h"
#include "store/tables/webhook_inbox.h"

namespace leadline::store {

using common::Result;
using common::Status;

class Transaction;

class Store {
 public:
  virtual ~Store() = default;

  // The schema version this build writes, and the one the open store has.
  virtual Result<int> SchemaVersion() = 0;

  // The engine's housekeeping on commit (SQLite: copying the write-ahead log into the file when a
  // commit finds the log long; PostgreSQL's server does its own). A connection on a
  // latency-sensitive path defers it to another connection's Maintain().
  virtual Status DeferMaintenance() = 0;
  // Does what connections deferred, waiting briefly at most (SQLite: copies as much of the log as
  // readers allow, and restarts a log grown long).
  virtual Status Maintain() = 0;

  // Begins a transaction (SQLite takes the write lock at once): the writes through any of the
  // store's aggregates until its Commit() land together, or not at all.
  Result<Transaction> Begin();

  // Claims, locks and notices between the processes sharing this store, on this connection.
  virtual Coordination& coordination() = 0;
  // The analytics tables BI tools read (store/tables/analytics.h), on this connection.
  virtual Analytics& analytics() = 0;
  // Feedback on pull requests: the repositories that have it on, and the outbox of posts.
  virtual FeedbackOutbox& feedback() = 0;
  // Deployments sent to incident tools as change events: the services that send, and the outbox.
  virtual ChangeEventOutbox& change_events() = 0;
  // The webhook inbox: deliveries kept before their 200, claimed and applied once.
  virtual WebhookInbox& webhook_inbox() = 0;

  // The repositories Leadline knows, and where each one's syncs start next.
  virtual Repositories& repositories() = 0;
  virtual SyncCursors& cursors() = 0;
  // Commits, refs, deployments and the changes each deployment brought.
  virtual History& history() = 0;
  // Connections to upstreams, their webhook secrets and shared request budgets.
  virtual Connections& connections() = 0;
  virtual PullRequests& pull_requests() = 0;
  // Pipelines, environments and the deployments CI reports.
  virtual Pipelines& pipelines() = 0;
  virtual Incidents& incidents() = 0;
  // Projects and API tokens; people's sign-ins and sessions; the audit log.
  virtual Access& access() = 0;
  virtual Sessions& sessions() = 0;
  virtual AuditLog& audit() = 0;

 private:
  friend class Transaction;
  virtual Status BeginTransaction() = 0;
  virtual Status CommitTransaction() = 0;
  virtual void RollbackTransaction() = 0;
};

// Opens the store at `url` (store_url.h: a SQLite path, sqlite:PATH or postgres://...). A SQLite
// file is created if needed and its schema brought up to date, as the embedded default always
// did; a PostgreSQL store must already be at this build's schema version (`leadline migrate`, or
// `serve` at its start), and one behind says so.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

// Applies the pending migrations of the store at `url` (under PostgreSQL's migration lock, so that
// servers starting together migrate once) and returns them, oldest first; none when current.
struct AppliedMigration {
  int version;
  std::string description;
};
Result<std::vector<AppliedMigration>> MigrateStore(const std::string& url);

// Writes that land together, begun by Store::Begin(): they land at Commit(), and a Transaction
// destroyed before that (an early return on an error) rolls them back. Movable, not copyable;
// used on the store's thread, and the store must outlive it.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept
      : store_(other.store_), open_(std::exchange(other.open_, false)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) store_->RollbackTransaction();
  }

  // Makes the writes durable and ends the transaction.
  Status Commit() {
    open_ = false;
    return store_->CommitTransaction();
  }
  // Begins again after Commit(), for work committed in parts (ingest/git_sync.h).
  Status BeginAgain() {
    LEADLINE_RETURN_IF_ERROR(store_->BeginTransaction());
    open_ = true;
    return Status::Ok();
  }
  bool open() const { return open_; }

 private:
  friend class Store;
  explicit Transaction(Store& store) : store_(&store) {}

  Store* store_;
  bool open_ = false;
};

inline Result<Transaction> Store::Begin() {
  Transaction transaction(*this);
  LEADLINE_RETURN_IF_ERROR(transaction.BeginAgain());
  return transaction;
}

}  // namespace leadline::store
