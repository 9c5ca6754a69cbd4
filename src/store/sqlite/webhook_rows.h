// The webhook inbox and connections' webhook secrets in SQLite: free functions over a Database,
// so that SqliteStore stays a thin dispatcher.
#pragma once

#include <cstdint>
#include <vector>

#include "model/webhook.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

// False when a delivery with the same delivery id is already in the inbox.
Result<bool> InsertDelivery(Database& db, const model::WebhookDelivery& delivery);
// Oldest first; the body only of those the intake kept no repository for.
Result<std::vector<model::WebhookDelivery>> LoadUnappliedDeliveries(Database& db,
                                                                    std::size_t limit);
Status MarkDeliveryApplied(Database& db, std::int64_t id, common::UnixSeconds at,
                           const std::string& outcome);
Result<std::int64_t> CountUnappliedDeliveries(Database& db);
Result<std::int64_t> PruneDeliveryBodies(Database& db, common::UnixSeconds received_before);
Result<std::optional<model::WebhookDelivery>> FindDelivery(Database& db,
                                                           const std::string& delivery_id);
// The connection's most recent delivery, without its body.
Result<std::optional<model::WebhookDelivery>> LastDelivery(Database& db,
                                                           std::int64_t connection_id);
// The last delivery that named the repository, without its body.
Result<std::optional<model::WebhookDelivery>> LastDeliveryFor(Database& db,
                                                              const std::string& repository);

Status SetWebhookSecret(Database& db, std::int64_t connection_id, const std::string& sealed);
Result<std::string> LoadWebhookSecret(Database& db, std::int64_t connection_id);

}  // namespace leadline::store::sqlite
