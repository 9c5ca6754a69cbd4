#include "sources/deploy_log/deploy_log.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/object_id.h"

namespace leadline::sources {
namespace {

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < line.size()) {
    pos = line.find_first_not_of(" \t", pos);
    if (pos == std::string_view::npos) break;
    const std::size_t end = std::min(line.find_first_of(" \t", pos), line.size());
    words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

}  // namespace

common::Result<std::vector<DeployLogEntry>> ParseDeployLog(std::string_view text,
                                                           const std::string& name) {
  std::vector<DeployLogEntry> entries;
  int line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto words = SplitWords(line);
    if (words.empty() || words[0].starts_with('#')) continue;

    const std::string where = "deploy log '" + name + "' line " + std::to_string(line_number);
    auto fail = [&](const std::string& why) {
      return common::Status::InvalidArgument(
          where + ": " + why + " (expected '<sha> <RFC 3339 time> [success|failure]', got '" +
          std::string(line) + "')");
    };
    if (words.size() < 2 || words.size() > 3) return fail("wrong number of fields");
    DeployLogEntry entry;
    entry.line = line_number;
    entry.sha = std::string(words[0]);
    std::transform(entry.sha.begin(), entry.sha.end(), entry.sha.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (entry.sha.size() < 7 || entry.sha.size() > 40 || !common::IsHexString(entry.sha)) {
      return fail("'" + std::string(words[0]) + "' is not a commit id (7 to 40 hex digits)");
    }
    auto time = common::ParseRfc3339(words[1]);
    if (!time.ok()) return fail(time.status().message());
    entry.finished_at = *time;
    if (words.size() == 3) {
      if (words[2] == "failure" || words[2] == "failed") {
        entry.success = false;
      } else if (words[2] != "success") {
        return fail("unknown status '" + std::string(words[2]) + "'");
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

common::Result<std::vector<DeployLogEntry>> ReadDeployLogFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::Status::NotFound("cannot read the deploy log '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseDeployLog(buffer.str(), path);
}

}  // namespace leadline::sources
