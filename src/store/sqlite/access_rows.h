// Projects, API tokens and the audit log in SQLite: free functions over a Database, so that
// SqliteStore stays a thin dispatcher.
#pragma once

#include <cstdint>
#include <vector>

#include "model/access.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

// Creates the project or replaces its repositories; returns its id.
Result<std::int64_t> SaveProject(Database& db, const model::Project& project);
Result<std::vector<model::Project>> LoadProjects(Database& db);
// False when there was no such project.
Result<bool> DeleteProject(Database& db, const std::string& name);

Result<std::int64_t> InsertApiToken(Database& db, const model::ApiToken& token);
Result<std::vector<model::ApiToken>> LoadApiTokens(Database& db);
// False when there was no unrevoked token of that name.
Result<bool> RevokeApiToken(Database& db, const std::string& name, common::UnixSeconds at);
Status TouchApiToken(Database& db, std::int64_t id, common::UnixSeconds at);

Status AppendAudit(Database& db, const std::vector<model::AuditEntry>& entries);
// The most recent `limit` entries, newest first.
Result<std::vector<model::AuditEntry>> LoadAudit(Database& db, std::size_t limit);

Status AddAuditRefusals(Database& db, const std::vector<model::AuditRefusal>& refusals);
// The newest `limit` counts: the latest minute first, then the largest count.
Result<std::vector<model::AuditRefusal>> LoadAuditRefusals(Database& db, std::size_t limit);
// Deletes audit entries and refusal counts from before `before`, 500 rows to a transaction.
Result<std::int64_t> PruneAudit(Database& db, common::UnixSeconds before);

}  // namespace leadline::store::sqlite
