// What Leadline posts on a pull request (the feedback issue): where the pull request stands
// ("awaiting first review for 2d 4h", "merged, awaiting production deploy", "deployed to
// production 3h after merge"), its stages so far against its repository's medians over the last
// 90 days, and its size against the median size, as a short Markdown comment that carries a hidden
// marker (so the one comment is found and edited, never repeated), and as at most six data fields
// for a Code Insights report. Bots' pull requests get nothing (the caller skips them).
//
// Pure functions over values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "engine/pr_stages.h"

namespace leadline::engine {

// The hidden line every comment starts with.
inline constexpr const char* kFeedbackMarker = "<!-- leadline -->";

// Whether a comment's text is Leadline's own feedback (it begins with the marker). The hosts'
// parsers leave such comments out of review activity: Leadline posting on a pull request must
// not count as its first review.
inline bool IsFeedbackComment(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  return begin != std::string_view::npos && text.substr(begin).starts_with(kFeedbackMarker);
}
// The window the repository's medians are taken over.
inline constexpr common::Seconds kFeedbackMedianWindow = 90 * common::kDay;

struct FeedbackField {
  enum class Type { kText, kDuration, kNumber };
  std::string title;
  Type type = Type::kText;
  std::string text;         // kText
  std::int64_t number = 0;  // kDuration (seconds) or kNumber
};

struct Feedback {
  std::string status;                 // where it stands, one line
  std::string markdown;               // the comment, marker first
  std::vector<FeedbackField> fields;  // at most six, for Code Insights
};

// `medians`: the repository's stage summary over the kFeedbackMedianWindow before `now`;
// `link`: the pull request's page in the dashboard (none when empty).
Feedback RenderFeedback(const PullRequestStages& pr, const StageSummary& medians,
                        common::UnixSeconds now, const std::string& link);

}  // namespace leadline::engine
