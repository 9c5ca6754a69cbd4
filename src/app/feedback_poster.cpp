#include "app/feedback_poster.h"

#include <algorithm>
#include <chrono>

#include "app/connections.h"
#include "app/feedback_preview.h"
#include "http/retrying_http_client.h"
#include "sources/bitbucket/pull_request_feedback.h"
#include "sources/gitlab/merge_request_note.h"
#include "sources/registry/registry.h"

namespace leadline::app {
namespace {

// Passes requests on, noting the last answer's status and the wait it asked for. A read that
// succeeds after a failure (Data Center's check of the credentials after a 401) leaves the
// failure's status noted: the post's outcome is the write's.
class TracingClient final : public http::HttpClient {
 public:
  TracingClient(http::HttpClient& inner, FeedbackPostTrace& trace) : inner_(inner), trace_(trace) {}
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    auto answer = inner_.Send(request);
    if (!answer.ok()) return answer;
    if (request.method == "GET" && answer->ok() && trace_.status >= 400) return answer;
    trace_.status = answer->status;
    trace_.retry_after = 0;
    if (answer->status == 429 || answer->status == 503) {
      if (const auto wait = http::ServerRequestedWait(*answer, common::NowUnixSeconds())) {
        trace_.retry_after = std::chrono::duration_cast<std::chrono::seconds>(*wait).count();
      }
    }
    return answer;
  }

 private:
  http::HttpClient& inner_;
  FeedbackPostTrace& trace_;
};

}  // namespace

common::Result<FeedbackPostOutcome> PostFeedback(const FeedbackPostContext& context,
                                                 const store::FeedbackOutboxRow& row,
                                                 store::FeedbackMode mode, common::UnixSeconds now,
                                                 FeedbackPostTrace* trace) {
  FeedbackPostTrace ignored;
  if (trace == nullptr) trace = &ignored;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            context.store.repositories().LoadConnectedRepositories());
  const auto repo = std::find_if(repos.begin(), repos.end(),
                                 [&](const model::Repository& r) { return r.id == row.repo_id; });
  if (repo == repos.end()) {
    return common::Status::NotFound("repository " + row.location + " is no longer connected");
  }
  const auto connection =
      std::find_if(context.connections.begin(), context.connections.end(),
                   [&](const model::Connection& c) { return c.id == repo->connection_id; });
  if (connection == context.connections.end()) {
    return common::Status::NotFound("the connection of " + repo->location + " is gone");
  }
  std::shared_ptr<const FeedbackBasis> basis;
  if (context.bases != nullptr) {
    const auto found = context.bases->find(repo->id);
    if (found != context.bases->end()) basis = found->second;
  }
  if (basis == nullptr) {
    LEADLINE_ASSIGN_OR_RETURN(
        FeedbackBasis read,
        ReadFeedbackBasis(context.store, *repo, context.settings, context.snapshots_dir, now));
    basis = std::make_shared<const FeedbackBasis>(std::move(read));
    if (context.bases != nullptr) (*context.bases)[repo->id] = basis;
  }
  LEADLINE_ASSIGN_OR_RETURN(RenderedFeedback rendered,
                            RenderFromBasis(*basis, *repo, row.number, context.dashboard_url));
  if (rendered.bot) return FeedbackPostOutcome::kSkippedBot;
  auto secret = context.box.Open(connection->sealed_secret);
  if (!secret.ok()) return secret.status().WithContext(connection->name);
  const sources::ConnectionSettings settings = SettingsFor(*connection, *secret);
  LEADLINE_ASSIGN_OR_RETURN(const sources::Connector* connector,
                            sources::ConnectorFor(connection->provider));
  trace->connection = connection->name;
  TracingClient client(
      context.clients.For(*connection,
                          static_cast<std::uint32_t>(connector->DefaultRequestsPerHour(settings))),
      *trace);
  switch (connection->provider) {
    case model::Provider::kBitbucketCloud:
    case model::Provider::kBitbucketDataCenter: {
      const sources::bitbucket::FeedbackTarget target{repo->location, row.number,
                                                      rendered.head_commit};
      if (mode == store::FeedbackMode::kInsights && !target.head_commit.empty()) {
        LEADLINE_RETURN_IF_ERROR(sources::bitbucket::PutInsightsReport(
            client, settings, target, rendered.feedback, rendered.link));
      } else {
        LEADLINE_RETURN_IF_ERROR(sources::bitbucket::UpsertComment(client, settings, target,
                                                                   rendered.feedback.markdown, {})
                                     .status());
      }
      return FeedbackPostOutcome::kPosted;
    }
    case model::Provider::kGitLab:
      LEADLINE_RETURN_IF_ERROR(sources::gitlab::UpsertNote(client, settings,
                                                           {repo->location, row.number},
                                                           rendered.feedback.markdown, {})
                                   .status());
      return FeedbackPostOutcome::kPosted;
    default:
      return common::Status::FailedPrecondition(repo->location +
                                                "'s host takes no feedback on pull requests");
  }
}

}  // namespace leadline::app
