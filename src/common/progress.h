// A progress bar on stderr for long work. It draws nothing until the work has run for more than
// a second, and nothing at all when stderr is not a terminal (logs and pipes stay clean).
// Owned by the code doing the work; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace leadline::common {

struct ProgressOptions {
  std::FILE* out = stderr;
  bool enabled = true;  // DefaultProgressOptions(): only when `out` is a terminal
  std::chrono::milliseconds quiet_period{1000};
  std::chrono::milliseconds redraw_every{100};
};

// Draws on stderr, and only when stderr is a terminal.
ProgressOptions DefaultProgressOptions();

class ProgressBar {
 public:
  // `total` may be 0 when unknown: then a counter is shown instead of a bar.
  ProgressBar(std::string label, std::uint64_t total,
              ProgressOptions options = DefaultProgressOptions());
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Set(std::uint64_t done);
  void Add(std::uint64_t n) { Set(done_ + n); }
  // Changes what the bar says it is doing ("Syncing acme/api: 1200 rows").
  void SetLabel(std::string label);
  // Clears the bar's line; called by the destructor too.
  void Finish();

 private:
  void Draw();

  std::string label_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  ProgressOptions options_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace leadline::common
