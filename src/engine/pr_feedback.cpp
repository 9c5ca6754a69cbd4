#include "engine/pr_feedback.h"

namespace leadline::engine {
namespace {

using common::FormatHumanDuration;

// A stage as the comment shows it: its duration, or how long it has run so far, or a dash.
struct StageCell {
  std::optional<common::Seconds> seconds;
  bool so_far = false;

  std::string Text() const {
    if (!seconds) return "–";
    return FormatHumanDuration(*seconds) + (so_far ? " so far" : "");
  }
};

std::string MedianText(const Distribution& d) {
  return d.count > 0 ? FormatHumanDuration(static_cast<common::Seconds>(d.median)) : "–";
}

std::string Lines(long long count) {
  return std::to_string(count) + (count == 1 ? " line" : " lines");
}

std::optional<int> LinesOf(const PullRequestStages& pr) {
  if (!pr.size) return std::nullopt;
  return pr.size->lines_added + pr.size->lines_deleted;
}

bool Merged(const PullRequestStages& pr) { return pr.merged_at.has_value(); }
bool Closed(const PullRequestStages& pr) {
  return !Merged(pr) && pr.state != model::PullRequestState::kOpen;
}

std::string Status(const PullRequestStages& pr, common::UnixSeconds now) {
  if (pr.deployed_at && pr.merged_at) {
    return "deployed to production " + FormatHumanDuration(*pr.deployed_at - *pr.merged_at) +
           " after merge";
  }
  if (Merged(pr)) {
    return "merged, awaiting production deploy (" + FormatHumanDuration(now - *pr.merged_at) +
           " so far)";
  }
  if (Closed(pr)) return "closed without merging";
  if (!pr.first_review_at) {
    return "awaiting first review for " + FormatHumanDuration(now - pr.created_at);
  }
  return "in review for " + FormatHumanDuration(now - *pr.first_review_at);
}

}  // namespace

Feedback RenderFeedback(const PullRequestStages& pr, const StageSummary& medians,
                        common::UnixSeconds now, const std::string& link) {
  const bool open = pr.state == model::PullRequestState::kOpen && !Merged(pr);
  StageCell coding{pr.coding};
  StageCell pickup{pr.pickup};
  if (!pickup.seconds && open && !pr.first_review_at) pickup = {now - pr.created_at, true};
  StageCell review{pr.review};
  if (!review.seconds && open && pr.first_review_at) review = {now - *pr.first_review_at, true};
  StageCell deploy{pr.deploy};
  if (!deploy.seconds && Merged(pr) && !pr.deployed_at) deploy = {now - *pr.merged_at, true};

  Feedback out;
  out.status = Status(pr, now);
  const std::optional<int> lines = LinesOf(pr);
  const std::string size_median =
      medians.size_lines.count > 0 ? Lines(static_cast<long long>(medians.size_lines.median)) : "–";
  std::string& md = out.markdown;
  md += std::string(kFeedbackMarker) + "\n";
  md += "**Leadline** · " + out.status + "\n\n";
  md += "| | this pull request | repository median, 90 days |\n| --- | --- | --- |\n";
  const auto row = [&md](const char* name, const std::string& value, const std::string& median) {
    md += std::string("| ") + name + " | " + value + " | " + median + " |\n";
  };
  row("coding", coding.Text(), MedianText(medians.coding));
  row("pickup", pickup.Text(), MedianText(medians.pickup));
  row("review", review.Text(), MedianText(medians.review));
  row("deploy", deploy.Text(), MedianText(medians.deploy));
  row("size", lines ? Lines(*lines) : "–", size_median);
  if (pr.commits_estimated()) {
    md += "\nCoding time is unknown: the pull request's own commits were not seen.\n";
  }
  if (!link.empty()) md += "\n[Open in Leadline](" + link + ")\n";

  using Type = FeedbackField::Type;
  out.fields.push_back({"Status", Type::kText, out.status, 0});
  const auto duration = [&out](const char* title, const StageCell& cell) {
    if (cell.seconds) out.fields.push_back({title, Type::kDuration, "", *cell.seconds});
  };
  duration("Coding", coding);
  duration("Pickup", pickup);
  duration("Review", review);
  duration("Deploy", deploy);
  if (lines) out.fields.push_back({"Size (lines)", Type::kNumber, "", *lines});
  return out;
}

}  // namespace leadline::engine
