// The analytics tables BI tools read (docs/bi.md): their columns as one description shared by the
// writer, the readers (CSV export, tests) and the docs, the store's side of a refresh, and the
// Looker connection whose datagroup a refresh triggers. The
// rows themselves are made by app/analytics_rows.h from the metrics the API answers with.
// PostgreSQL keeps the tables in the schema `leadline_analytics`; SQLite beside the store's own
// under the prefix `analytics_` (one file, so that a refresh commits atomically in one
// transaction). Reached through Store::analytics(), on the store's connection; one thread at a
// time, like the Store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace leadline::store {

enum class ColumnType {
  kText,
  kInt,
  kReal,  // double precision
  kTime,  // Unix seconds in the API; timestamptz on PostgreSQL
  kBool,  // 0/1 in the API; boolean on PostgreSQL
};

struct AnalyticsColumn {
  const char* name;
  ColumnType type;
  bool nullable;
};

struct AnalyticsTable {
  const char* name;         // "deployments"
  const char* time_column;  // what AnalyticsFilter's window reads: "finished_at"
  std::vector<AnalyticsColumn> columns;
};

// The row tables, in the order a refresh writes them (refreshes and digests are apart).
const std::vector<AnalyticsTable>& AnalyticsTables();
// The table called `name`, or InvalidArgument listing the names.
common::Result<const AnalyticsTable*> FindAnalyticsTable(const std::string& name);
// The table's name in SQL on each engine: "leadline_analytics.deployments" or
// "analytics_deployments".
std::string AnalyticsSqlName(const AnalyticsTable& table, bool postgres);

// A cell: NULL, an integer (also times and flags), a real, or text.
using AnalyticsValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using AnalyticsRow = std::vector<AnalyticsValue>;  // one value per column, in order

// Whose rows a refresh rewrites as one: a repository's (every table's rows of it, and its own
// metric rows) or a project's metric rows.
struct AnalyticsScope {
  enum class Kind { kRepository, kProject } kind = Kind::kRepository;
  std::string name;  // the repository's location, or the project key
  // "repository:acme/api", "project:payments": the key of its digest.
  std::string Key() const;
};

struct AnalyticsRefreshRecord {
  common::UnixSeconds refreshed_at = 0;
  bool full = false;
  std::int64_t scopes_rewritten = 0;
  std::int64_t rows_written = 0;
  std::optional<common::UnixSeconds> watermark;  // the newest data the rows hold
  std::int64_t duration_ms = 0;
};

// The Looker instance whose datagroup Leadline triggers after a refresh (`leadline looker
// connect`): one at most. The client secret is sealed (auth::SecretBox) by the caller.
struct LookerConnection {
  std::string url;  // the API's host
  std::string client_id;
  std::string sealed_secret;
  common::UnixSeconds connected_at = 0;
  // The last trigger: when, and "triggered model::name" or the error; none before the first.
  std::optional<common::UnixSeconds> last_trigger_at;
  std::string last_trigger_outcome;
};

// Rows read back, filtered by project and time.
struct AnalyticsFilter {
  std::optional<std::string> project_key;
  // Rows whose time column lies in [since, until).
  std::optional<common::UnixSeconds> since, until;
};

class Analytics {
 public:
  virtual ~Analytics() = default;

  // The digest each scope's rows were written with, by AnalyticsScope::Key().
  virtual common::Result<std::map<std::string, std::string>> LoadAnalyticsDigests() = 0;
  // Waits until no other refresh's transaction is open, and holds others off until this one
  // ends, so that two servers refreshing at once never both write a scope's rows. Call first in
  // the caller's transaction (SQLite's write transaction already does this).
  virtual common::Status LockAnalyticsForRefresh() = 0;
  // Deletes the scope's rows from every table and its digest. Within the caller's transaction.
  virtual common::Status DeleteAnalyticsScope(const AnalyticsScope& scope) = 0;
  // Appends rows to `table`; InvalidArgument when a row does not fit its columns (count, types,
  // NULLs). Within the caller's transaction.
  virtual common::Status InsertAnalyticsRows(const AnalyticsTable& table,
                                             std::span<const AnalyticsRow> rows) = 0;
  virtual common::Status SetAnalyticsDigest(const AnalyticsScope& scope,
                                            const std::string& digest) = 0;
  virtual common::Status RecordAnalyticsRefresh(const AnalyticsRefreshRecord& record) = 0;
  // The newest refresh, if any ran.
  virtual common::Result<std::optional<AnalyticsRefreshRecord>> LastAnalyticsRefresh() = 0;
  // The table's rows (every column, in order) that pass `filter`, ordered by every column.
  virtual common::Result<std::vector<AnalyticsRow>> ReadAnalyticsRows(
      const AnalyticsTable& table, const AnalyticsFilter& filter) = 0;

  // Replaces the Looker connection (its last trigger is forgotten).
  virtual common::Status SaveLookerConnection(const LookerConnection& connection) = 0;
  virtual common::Result<std::optional<LookerConnection>> LoadLookerConnection() = 0;
  // Records a trigger's time and outcome; nothing when no Looker is connected.
  virtual common::Status RecordLookerTrigger(common::UnixSeconds at,
                                             const std::string& outcome) = 0;
};

}  // namespace leadline::store
