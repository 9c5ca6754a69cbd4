// Projects, API tokens and the audit log: free functions over a connection, written once for
// every engine, so that the store stays a thin dispatcher.
#pragma once

#include <cstdint>
#include <vector>

#include "model/access.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

// Creates the project or replaces its repositories; returns its id.
Result<std::int64_t> SaveProject(Connection& db, const model::Project& project);
Result<std::vector<model::Project>> LoadProjects(Connection& db);
// False when there was no such project.
Result<bool> DeleteProject(Connection& db, const std::string& name);

Result<std::int64_t> InsertApiToken(Connection& db, const model::ApiToken& token);
Result<std::vector<model::ApiToken>> LoadApiTokens(Connection& db);
// False when there was no unrevoked token of that name.
Result<bool> RevokeApiToken(Connection& db, const std::string& name, common::UnixSeconds at);
Status TouchApiToken(Connection& db, std::int64_t id, common::UnixSeconds at);

Status AppendAudit(Connection& db, const std::vector<model::AuditEntry>& entries);
// The most recent `limit` entries, newest first.
Result<std::vector<model::AuditEntry>> LoadAudit(Connection& db, std::size_t limit);

Status AddAuditRefusals(Connection& db, const std::vector<model::AuditRefusal>& refusals);
// The newest `limit` counts: the latest minute first, then the largest count.
Result<std::vector<model::AuditRefusal>> LoadAuditRefusals(Connection& db, std::size_t limit);
// Deletes audit entries and refusal counts from before `before`, 500 rows to a transaction.
Result<std::int64_t> PruneAudit(Connection& db, common::UnixSeconds before);

}  // namespace leadline::store::sql
