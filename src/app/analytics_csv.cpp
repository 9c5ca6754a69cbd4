#include "app/analytics_csv.h"

#include <charconv>

#include "common/time.h"

namespace leadline::app {
namespace {

void AppendField(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string Cell(const store::AnalyticsValue& value, store::ColumnType type) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* real = std::get_if<double>(&value)) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof(buffer), *real).ptr;
    return std::string(buffer, end);
  }
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    if (type == store::ColumnType::kTime) return common::FormatRfc3339(*number);
    if (type == store::ColumnType::kBool) return *number != 0 ? "true" : "false";
    return std::to_string(*number);
  }
  return "";  // NULL
}

}  // namespace

std::string AnalyticsCsv(const store::AnalyticsTable& table,
                         std::span<const store::AnalyticsRow> rows) {
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) out += ',';
    out += table.columns[c].name;
  }
  out += "\r\n";
  for (const store::AnalyticsRow& row : rows) {
    for (std::size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
      if (c > 0) out += ',';
      AppendField(out, Cell(row[c], table.columns[c].type));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace leadline::app
