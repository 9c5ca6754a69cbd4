#include "common/progress.h"

#include <unistd.h>

#include <cstdio>

namespace leadline::common {
namespace {
constexpr auto kQuietPeriod = std::chrono::seconds(1);
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;
}  // namespace

ProgressBar::ProgressBar(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Set(std::uint64_t done) {
  done_ = done;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < kQuietPeriod || now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  Draw();
}

void ProgressBar::Draw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (total_ == 0) {
    std::fprintf(stderr, "\r%s %llu (%.0fs)\x1b[K", label_.c_str(),
                 static_cast<unsigned long long>(done_), elapsed);
  } else {
    const double fraction = done_ >= total_ ? 1.0 : static_cast<double>(done_) / total_;
    const int filled = static_cast<int>(fraction * kBarWidth);
    const double eta = fraction > 0 ? elapsed / fraction - elapsed : 0;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%% %llu/%llu ETA %.0fs\x1b[K", label_.c_str(), filled,
                 "==============================", kBarWidth - filled, "", fraction * 100,
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 eta);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace leadline::common
