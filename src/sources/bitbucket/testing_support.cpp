#include "sources/bitbucket/testing_support.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace leadline::sources::bitbucket::testing {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

// Reads CSV text one character at a time; `line_` counts physical lines for error messages.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  Result<std::vector<std::vector<std::string>>> Records() {
    while (pos_ < text_.size()) {
      if (record_.empty() && AtLineBreak()) {  // a blank line holds no record
        SkipLineBreak();
        continue;
      }
      LEADLINE_RETURN_IF_ERROR(Field());
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        if (pos_ < text_.size()) continue;
        record_.emplace_back();  // "a,b," ends with an empty field
      }
      EndRecord();
    }
    return std::move(records_);
  }

 private:
  // One field, up to the comma or line break that ends it (not consumed).
  Status Field() {
    std::string field;
    if (text_[pos_] == '"') {
      LEADLINE_RETURN_IF_ERROR(QuotedField(field));
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineBreak()) {
        if (text_[pos_] == '"') return Error("a quote inside an unquoted field");
        field += text_[pos_++];
      }
    }
    record_.push_back(std::move(field));
    return Status::Ok();
  }

  Status QuotedField(std::string& field) {
    const int start_line = line_;
    ++pos_;  // the opening quote
    while (true) {
      if (pos_ == text_.size()) {
        return Status::InvalidArgument("CSV line " + std::to_string(start_line) +
                                       ": a quoted field is never closed");
      }
      const char c = text_[pos_++];
      if (c == '"' && pos_ < text_.size() && text_[pos_] == '"') {
        field += '"';
        ++pos_;
      } else if (c == '"') {
        break;
      } else {
        if (c == '\n') ++line_;
        field += c;
      }
    }
    if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineBreak()) {
      return Error("text after a closing quote");
    }
    return Status::Ok();
  }

  bool AtLineBreak() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  void SkipLineBreak() {
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    ++line_;
  }

  void EndRecord() {
    if (pos_ < text_.size()) SkipLineBreak();
    records_.push_back(std::move(record_));
    record_.clear();
  }

  Status Error(const std::string& what) const {
    return Status::InvalidArgument("CSV line " + std::to_string(line_) + ": " + what);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::vector<std::string> record_;
  std::vector<std::vector<std::string>> records_;
};

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json Fixture(const std::string& relative, std::size_t index) {
  const std::string path = LEADLINE_SOURCE_DIR "/tests/fixtures/bitbucket/" + relative;
  const Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    ADD_FAILURE() << text.status().message();
    return json();
  }
  const json parsed = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    ADD_FAILURE() << path << " is not valid JSON";
    return json();
  }
  if (index == kWholeFile) return parsed;
  const auto values = parsed.find("values");
  if (values == parsed.end() || !values->is_array() || index >= values->size()) {
    ADD_FAILURE() << path << " has no values[" << index << "]";
    return json();
  }
  return (*values)[index];
}

Result<CsvTable> ParseCsv(std::string_view text) {
  LEADLINE_ASSIGN_OR_RETURN(std::vector<std::vector<std::string>> records,
                            CsvReader(text).Records());
  if (records.empty()) return Status::InvalidArgument("CSV has no header row");
  CsvTable table;
  table.header = std::move(records.front());
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() != table.header.size()) {
      return Status::InvalidArgument("CSV record " + std::to_string(i + 1) + " has " +
                                     std::to_string(records[i].size()) + " fields, the header " +
                                     std::to_string(table.header.size()));
    }
    table.rows.push_back(std::move(records[i]));
  }
  return table;
}

json WithField(json object, const std::string& pointer, const json& value) {
  const json::json_pointer where(pointer);
  if (value.is_discarded()) {
    object.at(where.parent_pointer()).erase(where.back());
  } else {
    object[where] = value;
  }
  return object;
}

}  // namespace leadline::sources::bitbucket::testing
