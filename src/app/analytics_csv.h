// An analytics table's rows as CSV (RFC 4180) for spreadsheets: a header of the column names,
// then a line per row; times in RFC 3339 (UTC), flags `true`/`false`, reals as the shortest text
// that reads back as the same number, NULL as an empty field; a field holding a comma, a quote or
// a line break is quoted, its quotes doubled. Lines end in CRLF. Pure function; thread-safe.
#pragma once

#include <span>
#include <string>

#include "store/tables/analytics.h"

namespace leadline::app {

std::string AnalyticsCsv(const store::AnalyticsTable& table,
                         std::span<const store::AnalyticsRow> rows);

}  // namespace leadline::app
