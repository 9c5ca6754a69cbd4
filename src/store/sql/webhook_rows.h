// The webhook inbox and connections' webhook secrets: free functions over a connection, written
// once for every engine, so that the store stays a thin dispatcher.
#pragma once

#include <cstdint>
#include <vector>

#include "model/webhook.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

// False when a delivery with the same delivery id is already in the inbox.
Result<bool> InsertDelivery(Connection& db, const model::WebhookDelivery& delivery);
// See WebhookInbox::InsertDeliveries (store/webhook_inbox.h).
std::vector<Result<bool>> InsertDeliveries(
    Connection& db, const std::vector<const model::WebhookDelivery*>& deliveries);
// See WebhookInbox::ClaimDeliveries and the three after it.
Result<std::vector<model::WebhookDelivery>> ClaimDeliveries(Connection& db,
                                                            const std::string& owner,
                                                            common::UnixSeconds now,
                                                            common::UnixSeconds until,
                                                            std::size_t limit);
Status RenewDeliveryClaims(Connection& db, const std::string& owner, common::UnixSeconds until);
Status ReleaseDeliveryClaims(Connection& db, const std::string& owner);
Result<std::int64_t> MarkDeliveriesApplied(Connection& db, const std::vector<std::int64_t>& ids,
                                           const std::string& owner, common::UnixSeconds at,
                                           const std::string& outcome);
Result<std::int64_t> CountUnappliedDeliveries(Connection& db);
Result<std::int64_t> PruneDeliveryBodies(Connection& db, common::UnixSeconds received_before);
// At most `most` rows a call: a store that kept every row before this pruning existed sheds them
// over several calls (hours), so that the applier calling it is not held up for minutes.
inline constexpr std::int64_t kMostDeliveryRowsPruned = 20000;
Result<std::int64_t> PruneDeliveryRows(Connection& db, common::UnixSeconds received_before,
                                       std::int64_t most = kMostDeliveryRowsPruned);
Result<std::int64_t> DropSupersededNewestApplied(Connection& db);
Result<std::optional<model::WebhookDelivery>> FindDelivery(Connection& db,
                                                           const std::string& delivery_id);
// The connection's most recent delivery, without its body.
Result<std::optional<model::WebhookDelivery>> LastDelivery(Connection& db,
                                                           std::int64_t connection_id);
// The last delivery that named the repository, without its body.
Result<std::optional<model::WebhookDelivery>> LastDeliveryFor(Connection& db,
                                                              const std::string& repository);

}  // namespace leadline::store::sql
