#include "feedback_board.h"

namespace leadline::testing {

BoardComment FeedbackBoard::Add(const std::string& key, const std::string& text, std::int64_t now) {
  std::lock_guard lock(mutex_);
  BoardComment comment{next_id_++, 0, text, now, now, 0};
  comments_[key].push_back(comment);
  return comment;
}

std::optional<BoardComment> FeedbackBoard::Find(const std::string& key, std::int64_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = comments_.find(key);
  if (found == comments_.end()) return std::nullopt;
  for (const BoardComment& comment : found->second) {
    if (comment.id == id) return comment;
  }
  return std::nullopt;
}

int FeedbackBoard::Edit(const std::string& key, std::int64_t id, const std::string& text,
                        std::int64_t version, std::int64_t now, BoardComment* edited) {
  std::lock_guard lock(mutex_);
  for (BoardComment& comment : comments_[key]) {
    if (comment.id != id) continue;
    if (version >= 0 && version != comment.version) {
      *edited = comment;
      return 409;
    }
    comment.text = text;
    comment.updated = now;
    ++comment.version;
    ++comment.edits;
    *edited = comment;
    return 200;
  }
  return 404;
}

std::vector<BoardComment> FeedbackBoard::Comments(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto found = comments_.find(key);
  return found == comments_.end() ? std::vector<BoardComment>() : found->second;
}

void FeedbackBoard::Bump(const std::string& key, std::int64_t id) {
  std::lock_guard lock(mutex_);
  for (BoardComment& comment : comments_[key]) {
    if (comment.id == id) ++comment.version;
  }
}

void FeedbackBoard::PutReport(const std::string& key, nlohmann::json report) {
  std::lock_guard lock(mutex_);
  reports_[key] = std::move(report);
}

std::optional<nlohmann::json> FeedbackBoard::Report(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto found = reports_.find(key);
  if (found == reports_.end()) return std::nullopt;
  return found->second;
}

std::optional<nlohmann::json> FeedbackBoard::ReportOn(const std::string& location,
                                                      const std::string& commit,
                                                      const std::string& key) const {
  std::lock_guard lock(mutex_);
  const std::string prefix = location + "@" + commit;
  const std::string suffix = "/" + key;
  for (const auto& [name, report] : reports_) {
    if (name.starts_with(prefix) && name.ends_with(suffix)) return report;
  }
  return std::nullopt;
}

void FeedbackBoard::FailWrites(int count, int status, int retry_after) {
  std::lock_guard lock(mutex_);
  fail_count_ = count;
  fail_status_ = status;
  retry_after_ = retry_after;
}

int FeedbackBoard::retry_after() const {
  std::lock_guard lock(mutex_);
  return retry_after_;
}

int FeedbackBoard::TakeWriteFailure() {
  std::lock_guard lock(mutex_);
  if (fail_count_ <= 0) return 0;
  --fail_count_;
  return fail_status_;
}

void FeedbackBoard::HoldNextWrite() {
  std::lock_guard lock(mutex_);
  hold_next_ = true;
}

bool FeedbackBoard::HoldingWrite() const {
  std::lock_guard lock(mutex_);
  return holding_;
}

void FeedbackBoard::ReleaseHeld() {
  std::lock_guard lock(mutex_);
  hold_next_ = false;
  holding_ = false;
  released_.notify_all();
}

void FeedbackBoard::WaitIfHeld() {
  std::unique_lock lock(mutex_);
  if (!hold_next_) return;
  hold_next_ = false;
  holding_ = true;
  released_.wait(lock, [this] { return !holding_; });
}

int FeedbackBoard::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

void FeedbackBoard::CountWrite() {
  std::lock_guard lock(mutex_);
  ++writes_;
}

}  // namespace leadline::testing
