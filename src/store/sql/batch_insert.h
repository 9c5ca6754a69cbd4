// Inserting many rows in statements of up to 64 rows each: one round trip each to PostgreSQL
// instead of one a row, and fewer statement runs for SQLite. Used where a sync or a report writes
// thousands of rows. Not thread-safe, like the connection.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/connection.h"

namespace leadline::store::sql {

inline constexpr std::size_t kRowsPerInsert = 64;

// "HEAD (?,...,?),(?,...,?) TAIL" for `rows` rows of `columns` values.
inline std::string MultiRowInsertSql(std::string_view head, int columns, std::size_t rows,
                                     std::string_view tail) {
  std::string row = "(";
  for (int column = 0; column < columns; ++column) row += column == 0 ? "?" : ",?";
  row += ")";
  std::string sql(head);
  sql += ' ';
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ',';
    sql += row;
  }
  sql += ' ';
  sql += tail;
  return sql;
}

// Inserts `items` with `head` ("INSERT INTO t (a, b) VALUES") and `tail` ("ON CONFLICT DO
// NOTHING", or ""); `bind(statement, item, first)` binds one row's values from index `first`
// (text it binds must outlive the call: bind the item's own strings). Returns the rows changed.
template <typename Item, typename BindRow>
Result<std::int64_t> InsertInBatches(Connection& db, std::string_view head, int columns,
                                     std::string_view tail, const std::vector<Item>& items,
                                     BindRow bind) {
  std::int64_t changed = 0;
  for (std::size_t start = 0; start < items.size(); start += kRowsPerInsert) {
    const std::size_t rows = std::min(kRowsPerInsert, items.size() - start);
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db.PrepareCached(MultiRowInsertSql(head, columns, rows, tail)));
    for (std::size_t row = 0; row < rows; ++row) {
      bind(stmt, items[start + row], static_cast<int>(row) * columns + 1);
    }
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
    changed += db.Changes();
  }
  return changed;
}

}  // namespace leadline::store::sql
