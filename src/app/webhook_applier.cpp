#include "app/webhook_applier.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "sources/registry/registry.h"
#include "store/store.h"

namespace leadline::app {
namespace {

constexpr std::size_t kBatch = 500;
constexpr std::chrono::milliseconds kGather{100};
constexpr std::size_t kMarkedPerTransaction = 32;
constexpr std::chrono::seconds kCountEvery{1};
constexpr common::Seconds kPruneEvery = 3600;

}  // namespace

DeliveryTarget TargetOf(const model::WebhookDelivery& delivery,
                        const sources::WebhookDecoder* decoder) {
  if (!decoder) return {"", "ignored: the connection that sent it is gone"};
  const std::string& key = delivery.event_key;
  if (std::optional<std::string> outcome = decoder->NotApplied(key)) return {"", *outcome};
  if (decoder->SyncsIncidents(key)) return {"", "", true};
  // Deliveries stored before the intake kept the repository carry their body instead.
  const std::string location = !delivery.repository.empty() || delivery.body.empty()
                                   ? delivery.repository
                                   : decoder->RepositoryOf(key, delivery.body);
  if (location.empty()) return {"", "ignored: the payload names no repository"};
  return {location, ""};
}

WebhookApplier::WebhookApplier(config::Paths paths, std::string owner, common::Seconds lease,
                               Sync sync, SyncIncidents sync_incidents,
                               std::function<void()> applied,
                               std::function<void(std::int64_t)> depth, InboxRetention retention)
    : paths_(std::move(paths)),
      owner_(std::move(owner)),
      lease_(lease),
      sync_(std::move(sync)),
      sync_incidents_(std::move(sync_incidents)),
      applied_(std::move(applied)),
      depth_(std::move(depth)),
      retention_(retention) {}

WebhookApplier::~WebhookApplier() { Stop(); }

void WebhookApplier::Start() {
  thread_ = std::thread([this] { Run(); });
}

void WebhookApplier::Notify() {
  std::lock_guard lock(mutex_);
  // While a batch gathers or runs, the notice is only noted: no wake-up per delivery.
  if (!notified_ && idle_) wake_.notify_one();
  notified_ = true;
}

void WebhookApplier::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void WebhookApplier::Run() {
  std::unique_ptr<store::Store> store;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      idle_ = true;
      wake_.wait_for(lock, std::chrono::seconds(5), [&] { return notified_ || stopping_; });
      idle_ = false;
      if (stopping_) break;
      // Let the deliveries arriving together gather into one batch.
      if (notified_) wake_.wait_for(lock, kGather, [&] { return stopping_; });
      notified_ = false;
    }
    if (!store) {
      auto opened = store::OpenStore(paths_.store);
      if (!opened.ok()) {
        std::fprintf(stderr, "leadline: error: applying webhook deliveries: %s\n",
                     opened.status().message().c_str());
        continue;  // tried again on the next wake
      }
      store = std::move(opened).value();
    }
    bool more = true;
    while (more) {
      const common::Status applied = ApplyBatch(*store, &more);
      if (!applied.ok()) {
        std::fprintf(stderr, "leadline: error: applying webhook deliveries: %s\n",
                     applied.message().c_str());
        break;  // tried again on the next wake
      }
      // The intake defers the store's housekeeping (see serve): do it from here, after each
      // batch (SQLite: keeps the write-ahead log short), as deliveries may keep coming for as
      // long as batches do.
      if (const common::Status maintained = store->Maintain(); !maintained.ok()) {
        std::fprintf(stderr, "leadline: error: checkpointing the store: %s\n",
                     maintained.message().c_str());
      }
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    PruneInbox(*store);
  }
  // What this server holds and did not apply is for the others to take at once.
  if (store) (void)store->webhook_inbox().ReleaseDeliveryClaims(owner_);
}

void WebhookApplier::PruneInbox(store::Store& store) {
  const common::UnixSeconds now = common::NowUnixSeconds();
  if (now < last_pruned_ + kPruneEvery) return;
  last_pruned_ = now;
  auto pruned = store.webhook_inbox().PruneDeliveryBodies(now - retention_.bodies);
  if (!pruned.ok()) {
    std::fprintf(stderr, "leadline: error: dropping old webhook bodies: %s\n",
                 pruned.status().message().c_str());
  }
  auto dropped = store.webhook_inbox().DropSupersededNewestApplied();
  if (!dropped.ok()) {
    std::fprintf(stderr, "leadline: error: dropping superseded newest deliveries: %s\n",
                 dropped.status().message().c_str());
  }
  auto rows = store.webhook_inbox().PruneDeliveryRows(now - retention_.rows);
  if (!rows.ok()) {
    std::fprintf(stderr, "leadline: error: dropping old webhook deliveries: %s\n",
                 rows.status().message().c_str());
  }
}

common::Status WebhookApplier::ApplyBatch(store::Store& store, bool* more) {
  const common::UnixSeconds claimed_at = common::NowUnixSeconds();
  LEADLINE_ASSIGN_OR_RETURN(
      const std::vector<model::WebhookDelivery> batch,
      store.webhook_inbox().ClaimDeliveries(owner_, claimed_at, claimed_at + lease_, kBatch));
  *more = batch.size() >= kBatch;  // a run may hold a few more, committed as it was claimed
  // Nothing after a full batch: the backlog is drained (a backlog of whole batches ends so).
  const bool after_full_batch = last_batch_full_;
  last_batch_full_ = *more;
  if (batch.empty()) return after_full_batch ? CountBacklog(store, true) : common::Status::Ok();
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                            store.connections().LoadConnections());
  std::map<std::int64_t, const sources::WebhookDecoder*> decoders;
  for (const model::Connection& connection : connections) {
    decoders[connection.id] = sources::FindWebhookDecoder(connection.provider);
  }
  // A repository is a connection's location: two connections may both have an "acme/api".
  using Repository = std::pair<std::int64_t, std::string>;
  std::map<std::int64_t, DeliveryTarget> targets;
  std::set<Repository> repositories;
  std::set<std::int64_t> incident_connections;
  for (const model::WebhookDelivery& delivery : batch) {
    const auto decoder = decoders.find(delivery.connection_id);
    targets[delivery.id] =
        TargetOf(delivery, decoder == decoders.end() ? nullptr : decoder->second);
    if (!targets[delivery.id].location.empty()) {
      repositories.emplace(delivery.connection_id, targets[delivery.id].location);
    }
    if (targets[delivery.id].incidents) incident_connections.insert(delivery.connection_id);
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> known,
                            store.repositories().LoadConnectedRepositories());
  std::set<Repository> selected;
  for (const model::Repository& repo : known) {
    if (repo.selected) selected.emplace(repo.connection_id, repo.location);
  }
  // One sync per selected repository, however many deliveries named it.
  std::map<Repository, std::string> outcomes;
  bool changed = false;
  for (const Repository& repository : repositories) {
    const auto& [connection_id, location] = repository;
    const common::Status synced = selected.contains(repository)
                                      ? sync_(connection_id, location)
                                      : common::Status::NotFound("not selected");
    if (synced.ok()) {
      outcomes[repository] = "applied: synced " + location;
      changed = true;
    } else if (synced.code() == common::StatusCode::kNotFound) {
      outcomes[repository] = "ignored: " + location + " is not a selected repository";
    } else {
      outcomes[repository] = "failed: " + synced.message() + " (the reconciliation sync retries)";
    }
    // Still this server's while it works through the batch.
    LEADLINE_RETURN_IF_ERROR(
        store.webhook_inbox().RenewDeliveryClaims(owner_, common::NowUnixSeconds() + lease_));
  }
  // One incremental incident sync per incident tool connection, however many deliveries came.
  std::map<std::int64_t, std::string> incident_outcomes;
  for (const std::int64_t connection_id : incident_connections) {
    const common::Status synced = sync_incidents_ ? sync_incidents_(connection_id)
                                                  : common::Status::Internal("no incident sync");
    if (synced.ok()) {
      incident_outcomes[connection_id] = "applied: synced the connection's incidents";
      changed = true;
    } else if (synced.code() == common::StatusCode::kFailedPrecondition) {
      incident_outcomes[connection_id] = "kept: " + synced.message();
    } else {
      incident_outcomes[connection_id] =
          "failed: " + synced.message() + " (the reconciliation sync retries)";
    }
    LEADLINE_RETURN_IF_ERROR(
        store.webhook_inbox().RenewDeliveryClaims(owner_, common::NowUnixSeconds() + lease_));
  }
  // Marked by outcome, a few at a time: on SQLite the intake's inserts wait for the write lock
  // meanwhile. Those another server took over (this one's lease ran out) are not marked: its
  // outcome is the one that counts.
  std::map<std::string, std::vector<std::int64_t>> by_outcome;
  for (const model::WebhookDelivery& delivery : batch) {
    const DeliveryTarget& target = targets[delivery.id];
    const std::string& outcome = target.incidents ? incident_outcomes[delivery.connection_id]
                                 : target.location.empty()
                                     ? target.ignored
                                     : outcomes[{delivery.connection_id, target.location}];
    by_outcome[outcome].push_back(delivery.id);
  }
  const common::UnixSeconds now = common::NowUnixSeconds();
  for (const auto& [outcome, ids] : by_outcome) {
    // Each mark takes every n-th delivery, so that its few rows spread over the inbox's pages:
    // on PostgreSQL an outcome's new row version then finds room on its page (no index entries),
    // where 32 neighbours marked together overflowed the page's free space.
    const std::size_t marks = (ids.size() + kMarkedPerTransaction - 1) / kMarkedPerTransaction;
    for (std::size_t mark = 0; mark < marks; ++mark) {
      std::vector<std::int64_t> some;
      for (std::size_t i = mark; i < ids.size(); i += marks) some.push_back(ids[i]);
      LEADLINE_RETURN_IF_ERROR(
          store.webhook_inbox().MarkDeliveriesApplied(some, owner_, now, outcome).status());
    }
  }
  // What the run held and this server did not mark (committed after the run was read) is for
  // any server to take at once.
  LEADLINE_RETURN_IF_ERROR(store.webhook_inbox().ReleaseDeliveryClaims(owner_));
  if (changed && applied_) applied_();
  return CountBacklog(store, !*more);
}

common::Status WebhookApplier::CountBacklog(store::Store& store, bool drained) {
  // Once the backlog is drained, and at most once a second while it is not: the count reads
  // every waiting row (and, on PostgreSQL, the dead ones vacuum has not removed yet), as much
  // work per batch as claiming it.
  const auto counted_at = std::chrono::steady_clock::now();
  if (!depth_ || (!drained && counted_at - last_counted_ < kCountEvery)) {
    return common::Status::Ok();
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t waiting,
                            store.webhook_inbox().CountUnappliedDeliveries());
  depth_(waiting);
  last_counted_ = counted_at;
  return common::Status::Ok();
}

}  // namespace leadline::app
