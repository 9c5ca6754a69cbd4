// Applies the webhook inbox: a background thread claims a run of the deliveries not applied yet,
// in arrival order, for this server (`owner`) for a lease it renews after each repository, so that
// several servers on one store share the inbox and a killed server's deliveries are taken over
// once its lease ends (store::WebhookInbox::ClaimDeliveries). It finds the repository each is about
// (through the decoder of its connection's provider, sources/contract/webhook_decoder.h), and
// brings each such repository of that connection up to date with one incremental sync (however many
// deliveries named it; an incident tool's deliveries, its connection's incidents), which is
// idempotent: a delivery applied twice, or a retry, changes nothing more. Each delivery is then
// marked with its outcome ("applied: synced acme/api", "ignored: ..."), only while it is still this
// server's, so each delivery is applied once. At start it takes what a crash left unapplied, and
// every few seconds it looks for what another server left. Deliveries arriving together are applied
// together: a batch starts a moment after the first notice. After each batch it checkpoints the
// store's write-ahead log, which the intake leaves to it. Once an hour it drops the bodies of
// applied deliveries and their rows past their retention (InboxRetention), and the rows of the
// newest applied delivery that other servers' newer ones supersede. Stop() finishes the batch in
// hand. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/status.h"
#include "config/paths.h"
#include "model/webhook.h"
#include "sources/contract/webhook_decoder.h"
#include "store/store.h"

namespace leadline::app {

// The repository a delivery is about ("acme/api", "PROJ/api", "acme/platform/api"), or why it is
// not applied: {location, ""} or {"", "ignored: ..."}. `decoder` is that of the delivery's
// connection's provider; nullptr when the connection is gone.
struct DeliveryTarget {
  std::string location;
  std::string ignored;     // the outcome, when there is nothing to apply
  bool incidents = false;  // applied by syncing its incident tool connection's incidents
};
DeliveryTarget TargetOf(const model::WebhookDelivery& delivery,
                        const sources::WebhookDecoder* decoder);

// How long an applied delivery's body and row are kept, from its arrival (`serve
// --webhook-body-retention` and `--webhook-retention`). Bodies are most of what the inbox weighs
// (about 11 KB each against 250 bytes a row); a row kept for hours at least lets a retry be
// recognised as one (Bitbucket and GitLab retry within hours). `bodies` never exceeds `rows` (serve
// checks it).
struct InboxRetention {
  common::Seconds bodies = 7 * common::kDay;
  common::Seconds rows = 30 * common::kDay;
};

class WebhookApplier {
 public:
  using Sync =
      std::function<common::Status(std::int64_t connection_id, const std::string& location)>;
  using SyncIncidents = std::function<common::Status(std::int64_t connection_id)>;

  // `owner` names this server in claims, held for `lease` seconds at a time. `sync` brings one
  // repository of a connection up to date (NotFound when it is not selected); `sync_incidents`
  // an incident tool connection's incidents (FailedPrecondition, saying why, when it may not:
  // its first sync has not run); `applied` is told after a batch changed data; `depth` is told
  // how many deliveries wait. Applied deliveries are dropped after `retention`.
  WebhookApplier(config::Paths paths, std::string owner, common::Seconds lease, Sync sync,
                 SyncIncidents sync_incidents, std::function<void()> applied,
                 std::function<void(std::int64_t)> depth, InboxRetention retention = {});
  ~WebhookApplier();  // Stop()

  void Start();
  void Notify();  // a delivery was stored
  void Stop();

 private:
  void Run();
  common::Status ApplyBatch(store::Store& store, bool* more);
  // Tells `depth_` how many deliveries wait, when `drained` (the last batch was not full) or a
  // second after the last count.
  common::Status CountBacklog(store::Store& store, bool drained);
  // Once an hour: old bodies and rows, and the newest-applied rows superseded by another
  // server's.
  void PruneInbox(store::Store& store);

  const config::Paths paths_;
  const std::string owner_;
  const common::Seconds lease_;
  const Sync sync_;
  const SyncIncidents sync_incidents_;
  const std::function<void()> applied_;
  const std::function<void(std::int64_t)> depth_;
  const InboxRetention retention_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = true;  // replay what is there at start
  bool idle_ = false;     // waiting for a notice (not gathering or applying)
  bool stopping_ = false;
  common::UnixSeconds last_pruned_ = 0;                 // the applier's thread only
  std::chrono::steady_clock::time_point last_counted_;  // the applier's thread only
  bool last_batch_full_ = false;                        // the applier's thread only
  std::thread thread_;
};

}  // namespace leadline::app
