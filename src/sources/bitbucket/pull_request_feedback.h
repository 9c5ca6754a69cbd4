// Posting Leadline's feedback (engine/pr_feedback.h) on a Bitbucket pull request:
//  - a Code Insights report "leadline-delivery" on the pull request's head commit, created or
//    replaced in one PUT (Cloud: /2.0/repositories/{ws}/{slug}/commit/{sha}/reports/{id}, the
//    DURATION fields in milliseconds, on the commit named in full: an abbreviated head is first
//    read from .../commit/{short}; Data Center: /rest/insights/latest/projects/{KEY}/repos/
//    {slug}/commits/{sha}/reports/{key});
//  - or one comment, found by its hidden marker and edited in place, never a second one (Cloud:
//    .../pullrequests/{id}/comments, `content.raw`; Data Center: .../pull-requests/{id}/comments,
//    `text`, edited with the comment's `version`, refetched once on a 409).
// A 403 is PermissionDenied naming the permission needed (Cloud `write:pullrequest:bitbucket`;
// Data Center repository write); so is Data Center's 401 to a write when the credentials still
// read (one GET more), else it is Unauthenticated, saying the credentials are not accepted. The
// search for the comment reads at most kMostCommentPages pages. Stateless; thread-compatible (the
// client decides).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "engine/pr_feedback.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::bitbucket {

inline constexpr const char* kInsightsReportId = "leadline-delivery";
inline constexpr int kMostCommentPages = 20;

struct FeedbackTarget {
  std::string location;  // "workspace/slug" (Cloud) or "KEY/slug" (Data Center)
  std::int64_t number = 0;
  std::string head_commit;  // the source branch's tip, in full
};

// The comment as the host knows it: its id and (Data Center) version.
struct CommentRef {
  std::int64_t id = 0;
  std::int64_t version = 0;
};

common::Status PutInsightsReport(http::HttpClient& client, const ConnectionSettings& settings,
                                 const FeedbackTarget& target, const engine::Feedback& feedback,
                                 const std::string& link);

// Edits the comment `known` names (when it still exists), else the one carrying the marker,
// else posts a new one; returns it as it now is.
common::Result<CommentRef> UpsertComment(http::HttpClient& client,
                                         const ConnectionSettings& settings,
                                         const FeedbackTarget& target, const std::string& markdown,
                                         std::optional<CommentRef> known);

}  // namespace leadline::sources::bitbucket
