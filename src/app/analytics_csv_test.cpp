#include "app/analytics_csv.h"

#include <gtest/gtest.h>

namespace leadline::app {
namespace {

using store::AnalyticsRow;
using store::AnalyticsTable;
using store::ColumnType;

TEST(AnalyticsCsvTest, WritesEveryKindOfValueAsASpreadsheetReadsIt) {
  const AnalyticsTable table{"t",
                             "at",
                             {{"name", ColumnType::kText, false},
                              {"at", ColumnType::kTime, false},
                              {"ok", ColumnType::kBool, false},
                              {"n", ColumnType::kInt, true},
                              {"rate", ColumnType::kReal, true}}};
  const std::vector<AnalyticsRow> rows = {
      {std::string("plain"), std::int64_t{86400}, std::int64_t{1}, std::int64_t{-3}, 0.1 + 0.2},
      {std::string("a, \"quoted\"\nline"), std::int64_t{0}, std::int64_t{0}, std::monostate(),
       std::monostate()}};
  EXPECT_EQ(AnalyticsCsv(table, rows),
            "name,at,ok,n,rate\r\n"
            "plain,1970-01-02T00:00:00Z,true,-3,0.30000000000000004\r\n"
            "\"a, \"\"quoted\"\"\nline\",1970-01-01T00:00:00Z,false,,\r\n");
  EXPECT_EQ(AnalyticsCsv(table, {}), "name,at,ok,n,rate\r\n");
}

}  // namespace
}  // namespace leadline::app
