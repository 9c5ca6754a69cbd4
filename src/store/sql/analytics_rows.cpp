#include "store/sql/analytics_rows.h"

#include <cmath>

#include "store/sql/batch_insert.h"

namespace leadline::store::sql {
namespace {

bool OnPostgres(const Connection& db) { return db.engine() == Engine::kPostgres; }

std::string TableName(const Connection& db, const char* table) {
  return (OnPostgres(db) ? "leadline_analytics." : "analytics_") + std::string(table);
}

bool IsMetricTable(const AnalyticsTable& table) {
  return std::string_view(table.name).starts_with("metrics_");
}

const char* TypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInt:
      return "an integer";
    case ColumnType::kReal:
      return "a real number";
    case ColumnType::kTime:
      return "a time (Unix seconds)";
    case ColumnType::kBool:
      return "a flag (0 or 1)";
  }
  return "?";
}

bool Fits(const AnalyticsValue& value, const AnalyticsColumn& column) {
  if (std::holds_alternative<std::monostate>(value)) return column.nullable;
  switch (column.type) {
    case ColumnType::kText:
      return std::holds_alternative<std::string>(value);
    case ColumnType::kInt:
    case ColumnType::kTime:
      return std::holds_alternative<std::int64_t>(value);
    case ColumnType::kBool:
      return std::holds_alternative<std::int64_t>(value) &&
             (std::get<std::int64_t>(value) == 0 || std::get<std::int64_t>(value) == 1);
    case ColumnType::kReal:
      return std::holds_alternative<double>(value) && std::isfinite(std::get<double>(value));
  }
  return false;
}

Status CheckRows(const AnalyticsTable& table, std::span<const AnalyticsRow> rows) {
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string where =
        std::string("analytics table ") + table.name + ", row " + std::to_string(r + 1) + ": ";
    if (rows[r].size() != table.columns.size()) {
      return Status::InvalidArgument(where + std::to_string(rows[r].size()) + " values for " +
                                     std::to_string(table.columns.size()) + " columns");
    }
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const AnalyticsColumn& column = table.columns[c];
      if (!Fits(rows[r][c], column)) {
        return Status::InvalidArgument(where + column.name + " must be " + TypeName(column.type) +
                                       (column.nullable ? " or NULL" : ""));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, std::string>> LoadAnalyticsDigests(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT scope, digest FROM " + TableName(db, "refresh_digests")));
  std::map<std::string, std::string> digests;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    digests.emplace(std::string(stmt.ColumnText(0)), std::string(stmt.ColumnText(1)));
  }
  return digests;
}

Status LockAnalyticsForRefresh(Connection& db) {
  if (!OnPostgres(db)) return Status::Ok();
  // SHARE ROW EXCLUSIVE conflicts with itself and lets readers read.
  return db.Exec("LOCK TABLE leadline_analytics.refresh_digests IN SHARE ROW EXCLUSIVE MODE");
}

Status DeleteAnalyticsScope(Connection& db, const AnalyticsScope& scope) {
  const bool repository = scope.kind == AnalyticsScope::Kind::kRepository;
  for (const AnalyticsTable& table : AnalyticsTables()) {
    std::string where;
    if (IsMetricTable(table)) {
      where = repository ? "scope_kind = 'repository' AND repository = ?"
                         : "scope_kind = 'project' AND project_key = ?";
    } else if (repository) {
      where = "repository = ?";
    } else {
      continue;  // a project's own rows are its metric rows only
    }
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db.PrepareCached("DELETE FROM " + TableName(db, table.name) + " WHERE " + where));
    stmt.Bind(1, scope.name);
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.PrepareCached("DELETE FROM " + TableName(db, "refresh_digests") + " WHERE scope = ?"));
  const std::string key = scope.Key();  // bound text outlives the run
  stmt.Bind(1, key);
  return stmt.Run();
}

Status InsertAnalyticsRows(Connection& db, const AnalyticsTable& table,
                           std::span<const AnalyticsRow> rows) {
  LEADLINE_RETURN_IF_ERROR(CheckRows(table, rows));
  std::string head = "INSERT INTO " + TableName(db, table.name) + " (";
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    head += (c == 0 ? "" : ", ") + std::string(table.columns[c].name);
  }
  head += ") VALUES";
  const int columns = static_cast<int>(table.columns.size());
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
    const std::size_t count = std::min(kRowsPerInsert, rows.size() - start);
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db.PrepareCached(MultiRowInsertSql(head, columns, count, "")));
    int index = 1;
    for (std::size_t r = start; r < start + count; ++r) {
      for (const AnalyticsValue& value : rows[r]) {
        if (const auto* number = std::get_if<std::int64_t>(&value)) {
          stmt.Bind(index, *number);
        } else if (const auto* real = std::get_if<double>(&value)) {
          stmt.BindReal(index, *real);
        } else if (const auto* text = std::get_if<std::string>(&value)) {
          stmt.Bind(index, std::string_view(*text));
        } else {
          stmt.BindNull(index);
        }
        ++index;
      }
    }
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Status SetAnalyticsDigest(Connection& db, const AnalyticsScope& scope, const std::string& digest) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.PrepareCached("INSERT INTO " + TableName(db, "refresh_digests") +
                                  " (scope, digest) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE "
                                  "SET digest = excluded.digest"));
  const std::string key = scope.Key();
  stmt.Bind(1, key).Bind(2, std::string_view(digest));
  return stmt.Run();
}

Status RecordAnalyticsRefresh(Connection& db, const AnalyticsRefreshRecord& record) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO " + TableName(db, "refreshes") +
                            " (refreshed_at, kind, scopes_rewritten, rows_written, watermark, "
                            "duration_ms) VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.Bind(1, record.refreshed_at)
      .Bind(2, std::string_view(record.full ? "full" : "incremental"))
      .Bind(3, record.scopes_rewritten)
      .Bind(4, record.rows_written)
      .Bind(5, record.watermark)
      .Bind(6, record.duration_ms);
  return stmt.Run();
}

Result<std::optional<AnalyticsRefreshRecord>> LastAnalyticsRefresh(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT refreshed_at, kind, scopes_rewritten, rows_written, "
                                       "watermark, duration_ms FROM " +
                                       TableName(db, "refreshes") + " ORDER BY id DESC LIMIT 1"));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<AnalyticsRefreshRecord>();
  AnalyticsRefreshRecord record;
  record.refreshed_at = stmt.ColumnInt(0);
  record.full = stmt.ColumnText(1) == "full";
  record.scopes_rewritten = stmt.ColumnInt(2);
  record.rows_written = stmt.ColumnInt(3);
  if (!stmt.ColumnIsNull(4)) record.watermark = stmt.ColumnInt(4);
  record.duration_ms = stmt.ColumnInt(5);
  return std::optional<AnalyticsRefreshRecord>(record);
}

Result<std::vector<AnalyticsRow>> ReadAnalyticsRows(Connection& db, const AnalyticsTable& table,
                                                    const AnalyticsFilter& filter) {
  std::string select;
  std::string order;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const std::string name = table.columns[c].name;
    select += (c == 0 ? "" : ", ") + name;
    order += (c == 0 ? "" : ", ") + name;
  }
  std::string sql = "SELECT " + select + " FROM " + TableName(db, table.name) + " WHERE TRUE";
  if (filter.project_key) sql += " AND project_key = ?";
  if (filter.since) sql += " AND " + std::string(table.time_column) + " >= ?";
  if (filter.until) sql += " AND " + std::string(table.time_column) + " < ?";
  sql += " ORDER BY " + order;
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  int index = 1;
  if (filter.project_key) stmt.Bind(index++, std::string_view(*filter.project_key));
  if (filter.since) stmt.Bind(index++, *filter.since);
  if (filter.until) stmt.Bind(index++, *filter.until);
  std::vector<AnalyticsRow> rows;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool more, stmt.Step());
    if (!more) break;
    AnalyticsRow row;
    row.reserve(table.columns.size());
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const int i = static_cast<int>(c);
      if (stmt.ColumnIsNull(i)) {
        row.emplace_back(std::monostate());
        continue;
      }
      switch (table.columns[c].type) {
        case ColumnType::kText:
          row.emplace_back(std::string(stmt.ColumnText(i)));
          break;
        case ColumnType::kReal:
          row.emplace_back(stmt.ColumnReal(i));
          break;
        default:
          row.emplace_back(stmt.ColumnInt(i));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace leadline::store::sql
