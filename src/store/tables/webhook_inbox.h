// The webhook inbox, as the store keeps it: each delivery a row (with its body, dropped sooner)
// stored before its 200, the deliveries waiting to be applied, the servers' claims on runs of
// them, each one's outcome once applied, and the newest applied delivery of each repository for
// the status pages. Several servers on one store share it: a run of waiting deliveries is one
// server's at a time, for a lease, and each delivery is marked applied once
// (app/webhook_applier.h).
//
// Reached through Store::webhook_inbox(), on the store's connection; used from one thread at a
// time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/webhook.h"

namespace leadline::store {

class WebhookInbox {
 public:
  virtual ~WebhookInbox() = default;

  // Inserting returns false for a delivery id already there (a retry).
  virtual common::Result<bool> InsertDelivery(const model::WebhookDelivery& delivery) = 0;
  // Several deliveries in one transaction of their own (PostgreSQL sends it in one round trip):
  // each one's InsertDelivery answer. A delivery that fails fails alone; a transaction that
  // cannot commit fails them all, none stored.
  virtual std::vector<common::Result<bool>> InsertDeliveries(
      const std::vector<const model::WebhookDelivery*>& deliveries) = 0;
  // Claims for `owner` until `until` a run of up to `limit` unapplied deliveries, oldest first:
  // from the first one no server holds (a server whose lease ended before `now` holds none) up to
  // the next run another holds. What `owner` held before is let go first. Returns the run's
  // deliveries, oldest first, with their bodies only where the intake kept no repository. One
  // claim per server at a time: claimers take turns (PostgreSQL: an advisory lock of the claim's
  // transaction).
  virtual common::Result<std::vector<model::WebhookDelivery>> ClaimDeliveries(
      const std::string& owner, common::UnixSeconds now, common::UnixSeconds until,
      std::size_t limit) = 0;
  // Extends `owner`'s claim to `until`.
  virtual common::Status RenewDeliveryClaims(const std::string& owner,
                                             common::UnixSeconds until) = 0;
  // Lets go of `owner`'s claim: what it did not mark is for any server to take at once.
  virtual common::Status ReleaseDeliveryClaims(const std::string& owner) = 0;
  // Records one outcome for each of `ids` still unapplied and `owner`'s, at once; returns how
  // many were marked. One another server took over (and applies) is not marked, so each delivery
  // is applied once.
  virtual common::Result<std::int64_t> MarkDeliveriesApplied(const std::vector<std::int64_t>& ids,
                                                             const std::string& owner,
                                                             common::UnixSeconds at,
                                                             const std::string& outcome) = 0;
  virtual common::Result<std::int64_t> CountUnappliedDeliveries() = 0;
  // Drops the bodies of the deliveries applied and received before `received_before` (their
  // rows stay, for deduplication and status, until PruneDeliveryRows); returns how many. In
  // short transactions, so that the intake waits for none of them long.
  virtual common::Result<std::int64_t> PruneDeliveryBodies(common::UnixSeconds received_before) = 0;
  // Drops the rows of the deliveries applied and received before `received_before`, with their
  // bodies, except each newest applied one of a connection and repository (the status pages
  // show it); returns how many rows. A retry of a dropped delivery is taken as new and applied
  // again, which changes nothing (applying is an incremental sync). In short transactions, at
  // most 20,000 rows a call.
  virtual common::Result<std::int64_t> PruneDeliveryRows(common::UnixSeconds received_before) = 0;
  // Drops the rows of a server's newest applied delivery that another server's newer one of the
  // same connection and repository supersedes (each server writes its own, readers take the
  // newest); returns how many. Passes over the rows a server is writing at the moment.
  virtual common::Result<std::int64_t> DropSupersededNewestApplied() = 0;
  // The delivery with that delivery id, without its body.
  virtual common::Result<std::optional<model::WebhookDelivery>> FindDelivery(
      const std::string& delivery_id) = 0;
  virtual common::Result<std::optional<model::WebhookDelivery>> LastDelivery(
      std::int64_t connection_id) = 0;
  // The last delivery that named the repository ("acme/api"), without its body.
  virtual common::Result<std::optional<model::WebhookDelivery>> LastDeliveryFor(
      const std::string& repository) = 0;
};

}  // namespace leadline::store
