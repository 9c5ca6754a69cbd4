#include "common/progress.h"

#include <unistd.h>

#include <cstdio>

namespace leadline::common {
namespace {
constexpr int kBarWidth = 30;
}  // namespace

ProgressOptions DefaultProgressOptions() {
  ProgressOptions options;
  options.enabled = isatty(STDERR_FILENO) == 1;
  return options;
}

ProgressBar::ProgressBar(std::string label, std::uint64_t total, ProgressOptions options)
    : label_(std::move(label)),
      total_(total),
      options_(options),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Set(std::uint64_t done) {
  done_ = done;
  if (!options_.enabled) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < options_.quiet_period ||
      (drawn_ && now - last_draw_ < options_.redraw_every)) {
    return;
  }
  last_draw_ = now;
  Draw();
}

void ProgressBar::SetLabel(std::string label) {
  label_ = std::move(label);
  Set(done_);
}

void ProgressBar::Draw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (total_ == 0) {
    std::fprintf(options_.out, "\r%s %llu (%.0fs)\x1b[K", label_.c_str(),
                 static_cast<unsigned long long>(done_), elapsed);
  } else {
    const double fraction = done_ >= total_ ? 1.0 : static_cast<double>(done_) / total_;
    const int filled = static_cast<int>(fraction * kBarWidth);
    const double eta = fraction > 0 ? elapsed / fraction - elapsed : 0;
    std::fprintf(options_.out, "\r%s [%.*s%*s] %3.0f%% %llu/%llu ETA %.0fs\x1b[K", label_.c_str(),
                 filled, "==============================", kBarWidth - filled, "", fraction * 100,
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 eta);
  }
  std::fflush(options_.out);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  std::fprintf(options_.out, "\r\x1b[K");
  std::fflush(options_.out);
  drawn_ = false;
}

}  // namespace leadline::common
