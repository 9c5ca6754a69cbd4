// Inserting many rows in statements of up to 64 rows each: one round trip each to PostgreSQL
// instead of one a row, and fewer statement runs for SQLite. Used where a sync, a report or a
// store copy writes thousands of rows. Not thread-safe, like the connection.
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

// The end of the batch of `items` that begins at `start`: at most kRowsPerInsert items, and none
// with the same key (`same_key(a, b)`) as an earlier one of the batch. One statement then does
// what a statement per item, in order, would: PostgreSQL's upsert may not touch a row twice in a
// statement, and rows of one key may depend on the order they are written in.
template <typename Item, typename SameKey>
std::size_t BatchEnd(const std::vector<Item>& items, std::size_t start, SameKey same_key) {
  std::size_t end = start;
  while (end < items.size() && end - start < kRowsPerInsert) {
    for (std::size_t earlier = start; earlier < end; ++earlier) {
      if (same_key(items[earlier], items[end])) return end;
    }
    ++end;
  }
  return end;
}

// Inserts `items` with `head` ("INSERT INTO t (a, b) VALUES") and `tail` ("ON CONFLICT DO
// NOTHING", or an upsert's "ON CONFLICT (...) DO UPDATE ..."), in batches (BatchEnd) where
// `same_key` tells items of one key apart; `bind(statement, item, first)` binds one row's values
// from index `first` (text it binds must outlive the call: bind the item's own strings). Returns
// the rows changed.
template <typename Item, typename SameKey, typename BindRow>
Result<std::int64_t> UpsertInBatches(Connection& db, std::string_view head, int columns,
                                     std::string_view tail, const std::vector<Item>& items,
                                     SameKey same_key, BindRow bind) {
  std::int64_t changed = 0;
  for (std::size_t start = 0; start < items.size();) {
    const std::size_t end = BatchEnd(items, start, same_key);
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db.PrepareCached(MultiRowInsertSql(head, columns, end - start, tail)));
    for (std::size_t row = 0; row < end - start; ++row) {
      bind(stmt, items[start + row], static_cast<int>(row) * columns + 1);
    }
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
    changed += db.Changes();
    start = end;
  }
  return changed;
}

// The same for items whose keys never repeat, or whose repeats the tail ignores (ON CONFLICT DO
// NOTHING): batches of kRowsPerInsert.
template <typename Item, typename BindRow>
Result<std::int64_t> InsertInBatches(Connection& db, std::string_view head, int columns,
                                     std::string_view tail, const std::vector<Item>& items,
                                     BindRow bind) {
  return UpsertInBatches(
      db, head, columns, tail, items, [](const Item&, const Item&) { return false; }, bind);
}

// Updates rows from `items` in batches (BatchEnd, keys told apart by `same_key`): `head` is
// "UPDATE t SET a = v.column2, ... FROM (VALUES", followed by one row per item of `types`
// ("BIGINT", "TEXT": casts, so that PostgreSQL knows its parameters' types; both engines name
// the list's columns column1, column2, ...), then `tail` (") AS v WHERE t.k = v.column1 AND
// t.repo_id = ?"). `bind(statement, item, first)` binds a row's values from index `first`;
// `bind_tail(statement, first)` the tail's parameters after the rows.
template <typename Item, typename SameKey, typename BindRow, typename BindTail>
Status UpdateInBatches(Connection& db, std::string_view head,
                       const std::vector<std::string_view>& types, std::string_view tail,
                       const std::vector<Item>& items, SameKey same_key, BindRow bind,
                       BindTail bind_tail) {
  std::string row = "(";
  for (std::size_t column = 0; column < types.size(); ++column) {
    row += column == 0 ? "CAST(? AS " : ",CAST(? AS ";
    row += types[column];
    row += ")";
  }
  row += ")";
  const int columns = static_cast<int>(types.size());
  for (std::size_t start = 0; start < items.size();) {
    const std::size_t end = BatchEnd(items, start, same_key);
    std::string sql(head);
    sql += ' ';
    for (std::size_t i = start; i < end; ++i) sql += i == start ? row : "," + row;
    sql += ' ';
    sql += tail;
    LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.PrepareCached(sql));
    for (std::size_t i = start; i < end; ++i) {
      bind(stmt, items[i], static_cast<int>(i - start) * columns + 1);
    }
    bind_tail(stmt, static_cast<int>(end - start) * columns + 1);
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
    start = end;
  }
  return Status::Ok();
}

}  // namespace leadline::store::sql
