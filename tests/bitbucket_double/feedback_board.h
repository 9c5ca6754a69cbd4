// What Leadline posts on the double's pull requests: comments (Cloud's and Data Center's, with
// Data Center's versions) and Code Insights reports by commit, kept for the routes to serve
// (feedback_routes.cpp) and for tests to read. Internal to the double; thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace leadline::testing {

struct BoardComment {
  std::int64_t id = 0;
  std::int64_t version = 0;  // Data Center's; bumped by every edit
  std::string text;
  std::int64_t created = 0;  // Unix seconds
  std::int64_t updated = 0;
  int edits = 0;
};

class FeedbackBoard {
 public:
  // "acme/repo-1#7" (Cloud) or "PROJ/repo-1#7" (Data Center).
  static std::string Key(const std::string& location, std::int64_t number) {
    return location + "#" + std::to_string(number);
  }

  BoardComment Add(const std::string& key, const std::string& text, std::int64_t now);
  // nullopt: no such comment.
  std::optional<BoardComment> Find(const std::string& key, std::int64_t id) const;
  // Edits comment `id`: 404 when missing, 409 when `version` (>= 0) is not its version.
  int Edit(const std::string& key, std::int64_t id, const std::string& text, std::int64_t version,
           std::int64_t now, BoardComment* edited);
  std::vector<BoardComment> Comments(const std::string& key) const;
  void Bump(const std::string& key, std::int64_t id);  // someone else edited it

  // Reports by "location@commit/key".
  void PutReport(const std::string& key, nlohmann::json report);
  std::optional<nlohmann::json> Report(const std::string& key) const;
  // The report `key` on a commit of `location` whose hash starts with `commit`.
  std::optional<nlohmann::json> ReportOn(const std::string& location, const std::string& commit,
                                         const std::string& key) const;

  // The next `count` writes (comment posts and edits, report puts) answer `status`.
  // With `retry_after` > 0 the failures carry `Retry-After: <retry_after>` (Data Center's rate
  // limiting sends it with its 429s; Cloud documents none).
  void FailWrites(int count, int status, int retry_after = 0);
  int retry_after() const;
  int TakeWriteFailure();  // 0: none due
  int writes() const;      // writes answered successfully

  void CountWrite();

  // The next write waits, before anything else is done with it, until ReleaseHeld() (a post
  // caught in flight); then it goes on as usual. HoldingWrite(): one waits now.
  void HoldNextWrite();
  bool HoldingWrite() const;
  void ReleaseHeld();
  void WaitIfHeld();  // the routes', before each write

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<BoardComment>> comments_;
  std::map<std::string, nlohmann::json> reports_;
  std::int64_t next_id_ = 1001;
  int fail_count_ = 0;
  int fail_status_ = 0;
  int retry_after_ = 0;
  int writes_ = 0;
  bool hold_next_ = false;
  bool holding_ = false;
  std::condition_variable released_;
};

}  // namespace leadline::testing
