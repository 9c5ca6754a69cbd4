#include "ingest/feed_runner.h"

#include <string>
#include <vector>

#include "common/parallel_for.h"
#include "http/pager.h"

namespace leadline::ingest {
namespace {

using common::Result;
using common::Status;

// Sends `request` with the connection's credentials; a non-2xx answer is an error.
Result<http::HttpResponse> Fetch(const SyncTarget& target, http::HttpRequest request) {
  request.credentials = target.settings.Credentials();
  LEADLINE_ASSIGN_OR_RETURN(http::HttpResponse response, target.client.Send(request));
  if (!response.ok()) return http::HttpError(response, request.url);
  return response;
}

// Requests of a page's details: those of review activity apart from the others.
struct DetailPages {
  std::int64_t activity = 0;
  std::int64_t other = 0;
};

// Every page of a detail listing, appended to `rows`.
Status FetchDetail(const SyncTarget& target, const sources::FeedDetail& detail,
                   sources::FeedRows& rows, DetailPages& counted) {
  std::int64_t& pages = detail.activity ? counted.activity : counted.other;
  std::optional<http::HttpRequest> request = detail.first;
  while (request) {
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, Fetch(target, *request));
    auto page = detail.read(response, request->url);
    if (!page.ok()) return page.status().WithContext(http::RedactUrl(request->url));
    ++pages;
    rows.Append(std::move(page->rows));
    request = std::move(page->next);
  }
  return Status::Ok();
}

// A page's details at most this many at a time: a GitLab page of 100 merge requests names 100
// notes listings, each a round trip; four in flight cut the wait for them about fourfold where
// the upstream is far away, within GitLab.com's 2,000 requests a minute (the client's budget
// still counts every request).
constexpr std::size_t kDetailsInFlight = 4;

// Every detail of a page, appended to `rows` in the details' order whatever order they are
// fetched in (so what is stored never depends on timing); the first failure in that order, and
// then nothing is appended. Each listing's own pages are read in order, by one thread.
Status FetchDetails(const SyncTarget& target, const std::vector<sources::FeedDetail>& details,
                    sources::FeedRows& rows, DetailPages& pages) {
  if (details.size() <= 1) {
    for (const sources::FeedDetail& detail : details) {
      LEADLINE_RETURN_IF_ERROR(FetchDetail(target, detail, rows, pages));
    }
    return Status::Ok();
  }
  std::vector<sources::FeedRows> fetched(details.size());
  std::vector<DetailPages> fetched_pages(details.size());
  std::vector<Status> outcomes(details.size());
  common::ParallelFor(details.size(), kDetailsInFlight, [&](std::size_t i) {
    outcomes[i] = FetchDetail(target, details[i], fetched[i], fetched_pages[i]);
    return outcomes[i].ok();
  });
  for (const Status& outcome : outcomes) LEADLINE_RETURN_IF_ERROR(outcome);
  for (std::size_t i = 0; i < details.size(); ++i) {
    rows.Append(std::move(fetched[i]));
    pages.activity += fetched_pages[i].activity;
    pages.other += fetched_pages[i].other;
  }
  return Status::Ok();
}

// The cursor that says whether a following feed has changes to read ("deployments.due"): "1"
// when what it follows stored changes since it last ran to its end, "0" when not. Absent (a store
// from before the feed followed anything) reads as due, so an upgrade never skips a walk.
std::string DueCursor(std::string_view feed) { return std::string(feed) + ".due"; }
constexpr const char* kDue = "1";
constexpr const char* kNotDue = "0";

// The repository's stored rows, as feeds may read them before their walks.
class StoredRepository final : public sources::RepositoryView {
 public:
  StoredRepository(store::Store& store, std::int64_t repo_id) : store_(store), repo_id_(repo_id) {}
  Result<std::vector<model::Environment>> Environments() const override {
    return store_.pipelines().LoadEnvironments(repo_id_);
  }
  Result<std::vector<model::Pipeline>> Pipelines() const override {
    return store_.pipelines().LoadPipelines(repo_id_);
  }
  Result<std::vector<model::PullRequest>> PullRequests() const override {
    return store_.pull_requests().LoadPullRequests(repo_id_);
  }
  Status ForEachCommit(
      const std::function<void(std::string_view, common::UnixSeconds)>& visit) const override {
    return store_.history().ForEachCommit(repo_id_, [&](const store::CommitView& commit) {
      visit(commit.sha, commit.committer_time);
    });
  }

 private:
  store::Store& store_;
  std::int64_t repo_id_;
};

// Rows a page made new or changed in the store.
struct Changed {
  std::int64_t activity = 0;  // review activity rows
  std::int64_t other = 0;     // every other row
  std::int64_t all() const { return activity + other; }
};

// Stores a page's rows with its cursor; returns the rows new or changed. When rows changed, the
// feeds that follow this one are marked due in the same transaction, so that a sync cut before
// they ran still runs them next time.
Result<Changed> Commit(const SyncTarget& target, const std::string& feed,
                       const sources::FeedRows& rows, const std::string& cursor,
                       const std::vector<std::string>& followers) {
  store::Store& store = target.store;
  const std::int64_t repo_id = target.repository.id;
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  Changed changed;
  // Environments first: deployments are read joined with them.
  if (!rows.environments.empty()) {
    LEADLINE_RETURN_IF_ERROR(store.pipelines().UpsertEnvironments(repo_id, rows.environments));
  }
  if (!rows.pull_requests.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t n, store.pull_requests().UpsertPullRequests(
                                                        repo_id, rows.pull_requests));
    changed.other += n;
  }
  if (!rows.activity.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t n, store.pull_requests().InsertPullRequestActivity(
                                                        repo_id, rows.activity));
    changed.activity += n;
  }
  if (!rows.pipelines.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t n,
                              store.pipelines().UpsertPipelines(repo_id, rows.pipelines));
    changed.other += n;
  }
  if (!rows.deployments.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t n, store.pipelines().UpsertPlatformDeployments(
                                                        repo_id, rows.deployments));
    changed.other += n;
  }
  if (!cursor.empty()) LEADLINE_RETURN_IF_ERROR(store.cursors().SaveCursor(repo_id, feed, cursor));
  if (changed.all() > 0) {
    for (const std::string& follower : followers) {
      LEADLINE_RETURN_IF_ERROR(store.cursors().SaveCursor(repo_id, DueCursor(follower), kDue));
    }
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return changed;
}

SyncCounts& CountsOf(RepositorySyncCounts& counts, sources::FeedKind kind) {
  switch (kind) {
    case sources::FeedKind::kPullRequests:
      return counts.pull_requests;
    case sources::FeedKind::kActivity:
      return counts.activity;
    case sources::FeedKind::kPipelines:
      return counts.pipelines;
    case sources::FeedKind::kDeployments:
      return counts.deployments;
  }
  return counts.activity;
}

}  // namespace

Result<SyncCounts> RunFeed(const SyncTarget& target, sources::Feed& feed,
                           const std::vector<std::string>& followers, SyncCounts* activity) {
  const std::string name(feed.name());
  const std::string where = std::string(feed.title()) + " of " + target.repository.location;
  LEADLINE_ASSIGN_OR_RETURN(std::string cursor,
                            target.store.cursors().LoadCursor(target.repository.id, name));
  SyncCounts counts;
  const bool follows = !feed.follows().empty();
  if (follows && !cursor.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string due, target.store.cursors().LoadCursor(
                                                         target.repository.id, DueCursor(name)));
    if (due == kNotDue) {  // what it follows has not changed since it last ran
      counts.skipped = true;
      return counts;
    }
  }
  // Review activity read with another kind's rows (a pull request's comments) is counted as
  // activity, in `activity` when given; the feed's own counts otherwise.
  SyncCounts& activity_counts =
      activity != nullptr && feed.kind() != sources::FeedKind::kActivity ? *activity : counts;
  auto first =
      feed.First(StoredRepository(target.store, target.repository.id), cursor, target.since);
  if (!first.ok()) return first.status().WithContext(where);
  std::optional<http::HttpRequest> request = std::move(*first);
  bool first_request = true;
  while (request) {
    auto response = Fetch(target, *request);
    if (!response.ok() && first_request) {
      // The walk's first request: the feed may know another way in, once.
      if (std::optional<http::HttpRequest> again = feed.Restart(response.status())) {
        request = std::move(again);
        response = Fetch(target, *request);
      }
    }
    first_request = false;
    if (!response.ok()) return response.status().WithContext(where);
    auto page = feed.Read(*response, *request, cursor);
    if (!page.ok()) {
      return page.status().WithContext(http::RedactUrl(request->url)).WithContext(where);
    }
    ++counts.pages;
    sources::FeedRows rows = std::move(page->rows);
    counts.received += static_cast<std::int64_t>(rows.size());
    const std::size_t own_activity = rows.activity.size();
    DetailPages detail_pages;
    const Status fetched = FetchDetails(target, page->details, rows, detail_pages);
    if (!fetched.ok()) return fetched.WithContext(where);
    counts.pages += detail_pages.other;
    activity_counts.pages += detail_pages.activity;
    activity_counts.received += static_cast<std::int64_t>(rows.activity.size() - own_activity);
    auto changed = Commit(target, name, rows, page->cursor, followers);
    if (!changed.ok()) return changed.status().WithContext(where);
    if (&activity_counts == &counts) {
      counts.changed += changed->all();
    } else {
      counts.changed += changed->other;
      activity_counts.changed += changed->activity;
    }
    if (!page->cursor.empty()) cursor = page->cursor;
    if (target.on_page) target.on_page(counts);
    request = std::move(page->next);
  }
  if (follows) {
    const Status cleared =
        target.store.cursors().SaveCursor(target.repository.id, DueCursor(name), kNotDue);
    if (!cleared.ok()) return cleared.WithContext(where);
  }
  return counts;
}

Result<RepositorySyncCounts> RunRepositoryFeeds(const SyncTarget& target,
                                                const sources::Feeds& feeds) {
  RepositorySyncCounts counts;
  for (const std::unique_ptr<sources::Feed>& feed : feeds) {
    std::vector<std::string> followers;
    for (const std::unique_ptr<sources::Feed>& other : feeds) {
      if (other->follows() == feed->name()) followers.emplace_back(other->name());
    }
    LEADLINE_ASSIGN_OR_RETURN(const SyncCounts fed,
                              RunFeed(target, *feed, followers, &counts.activity));
    CountsOf(counts, feed->kind()) += fed;
    if (fed.skipped && feed->kind() == sources::FeedKind::kPullRequests) {
      counts.pull_requests_skipped = true;
    }
    if (fed.skipped && feed->kind() == sources::FeedKind::kDeployments) {
      counts.deployments_skipped = true;
    }
  }
  return counts;
}

}  // namespace leadline::ingest
