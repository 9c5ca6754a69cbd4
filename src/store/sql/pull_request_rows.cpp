#include "store/sql/pull_request_rows.h"

#include "store/sql/batch_insert.h"

namespace leadline::store::sql {

Result<std::int64_t> UpsertPullRequests(Connection& db, std::int64_t repo_id,
                                        const std::vector<model::PullRequest>& prs) {
  // The WHERE clause skips rows that would not change, so `changes()` counts real updates. A
  // page's pull requests go in one statement (a number that repeats starts another).
  return UpsertInBatches(
      db,
      "INSERT INTO pull_requests (repo_id, number, title, state, author_id, author_name, "
      "source_branch, target_branch, source_commit, merge_commit, created_at, updated_at, "
      "closed_at, closed_by, comment_count, draft, target_commit) VALUES",
      17,
      "ON CONFLICT (repo_id, number) DO "
      "UPDATE SET title = excluded.title, state = excluded.state, author_id = "
      "excluded.author_id, author_name = excluded.author_name, source_branch = "
      "excluded.source_branch, target_branch = excluded.target_branch, source_commit = "
      "excluded.source_commit, merge_commit = excluded.merge_commit, created_at = "
      "excluded.created_at, updated_at = excluded.updated_at, closed_at = "
      "excluded.closed_at, closed_by = excluded.closed_by, comment_count = "
      "excluded.comment_count, draft = excluded.draft, target_commit = "
      "excluded.target_commit WHERE pull_requests.updated_at IS DISTINCT FROM "
      "excluded.updated_at OR "
      "pull_requests.state IS DISTINCT FROM excluded.state OR pull_requests.comment_count IS "
      "DISTINCT FROM "
      "excluded.comment_count OR pull_requests.target_commit IS DISTINCT FROM "
      "excluded.target_commit",
      prs,
      [](const model::PullRequest& a, const model::PullRequest& b) { return a.number == b.number; },
      [repo_id](Statement& stmt, const model::PullRequest& pr, int at) {
        stmt.Bind(at, repo_id)
            .Bind(at + 1, pr.number)
            .Bind(at + 2, pr.title)
            .Bind(at + 3, std::string_view(model::PullRequestStateName(pr.state)))
            .Bind(at + 4, pr.author.id)
            .Bind(at + 5, pr.author.name)
            .Bind(at + 6, pr.source_branch)
            .Bind(at + 7, pr.target_branch)
            .Bind(at + 8, pr.source_commit);
        stmt.Bind(at + 9, pr.merge_commit);
        stmt.Bind(at + 10, pr.created_at).Bind(at + 11, pr.updated_at);
        stmt.Bind(at + 12, pr.closed_at);
        stmt.Bind(at + 13, pr.closed_by);
        stmt.Bind(at + 14, std::int64_t{pr.comment_count})
            .Bind(at + 15, std::int64_t{pr.draft ? 1 : 0});
        stmt.Bind(at + 16, pr.target_commit);
      });
}

Result<std::vector<model::PullRequest>> LoadPullRequests(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT number, title, state, author_id, author_name, source_branch, "
                 "target_branch, source_commit, merge_commit, created_at, updated_at, "
                 "closed_at, closed_by, comment_count, draft, files_changed, lines_added, "
                 "lines_deleted, target_commit, branch_commits, branch_first_commit_at, "
                 "branch_commit_email FROM pull_requests WHERE repo_id = ? ORDER BY number"));
  stmt.Bind(1, repo_id);
  std::vector<model::PullRequest> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::PullRequest pr;
    pr.number = stmt.ColumnInt(0);
    pr.title = std::string(stmt.ColumnText(1));
    for (model::PullRequestState state : model::kPullRequestStates) {
      if (stmt.ColumnText(2) == model::PullRequestStateName(state)) pr.state = state;
    }
    pr.author = {std::string(stmt.ColumnText(3)), std::string(stmt.ColumnText(4))};
    pr.source_branch = std::string(stmt.ColumnText(5));
    pr.target_branch = std::string(stmt.ColumnText(6));
    pr.source_commit = std::string(stmt.ColumnText(7));
    if (!stmt.ColumnIsNull(8)) pr.merge_commit = std::string(stmt.ColumnText(8));
    pr.created_at = stmt.ColumnInt(9);
    pr.updated_at = stmt.ColumnInt(10);
    if (!stmt.ColumnIsNull(11)) pr.closed_at = stmt.ColumnInt(11);
    if (!stmt.ColumnIsNull(12)) pr.closed_by = std::string(stmt.ColumnText(12));
    pr.comment_count = static_cast<int>(stmt.ColumnInt(13));
    pr.draft = stmt.ColumnInt(14) != 0;
    if (!stmt.ColumnIsNull(15)) {
      pr.size = model::DiffStats{static_cast<int>(stmt.ColumnInt(15)),
                                 static_cast<int>(stmt.ColumnInt(16)),
                                 static_cast<int>(stmt.ColumnInt(17))};
    }
    pr.target_commit = std::string(stmt.ColumnText(18));
    if (!stmt.ColumnIsNull(19)) {
      pr.branch_commits = model::BranchCommits{static_cast<int>(stmt.ColumnInt(19)),
                                               stmt.ColumnIsNull(20) ? 0 : stmt.ColumnInt(20),
                                               std::string(stmt.ColumnText(21))};
    }
    out.push_back(std::move(pr));
  }
  return out;
}

Status SetPullRequestSizes(Connection& db, std::int64_t repo_id,
                           const std::vector<std::pair<std::int64_t, model::DiffStats>>& sizes) {
  // Statements of many sizes; a number given twice ends with its last size.
  using Size = std::pair<std::int64_t, model::DiffStats>;
  return UpdateInBatches(
      db,
      "UPDATE pull_requests SET files_changed = v.column2, lines_added = v.column3, "
      "lines_deleted = v.column4 FROM (VALUES",
      {"BIGINT", "BIGINT", "BIGINT", "BIGINT"},
      ") AS v WHERE pull_requests.repo_id = ? AND pull_requests.number = v.column1", sizes,
      [](const Size& a, const Size& b) { return a.first == b.first; },
      [](Statement& stmt, const Size& item, int at) {
        const auto& [number, size] = item;
        stmt.Bind(at, number)
            .Bind(at + 1, std::int64_t{size.files_changed})
            .Bind(at + 2, std::int64_t{size.lines_added})
            .Bind(at + 3, std::int64_t{size.lines_deleted});
      },
      [repo_id](Statement& stmt, int at) { stmt.Bind(at, repo_id); });
}

Status SetPullRequestBranchCommits(
    Connection& db, std::int64_t repo_id,
    const std::vector<std::pair<std::int64_t, model::BranchCommits>>& commits) {
  using Listed = std::pair<std::int64_t, model::BranchCommits>;
  return UpdateInBatches(
      db,
      "UPDATE pull_requests SET branch_commits = v.column2, branch_first_commit_at = "
      "v.column3, branch_commit_email = v.column4 FROM (VALUES",
      {"BIGINT", "BIGINT", "TIMESTAMPTZ", "TEXT"},  // SQLite keeps the time as its integer
      ") AS v WHERE pull_requests.repo_id = ? AND pull_requests.number = v.column1", commits,
      [](const Listed& a, const Listed& b) { return a.first == b.first; },
      [](Statement& stmt, const Listed& item, int at) {
        const auto& [number, read] = item;
        stmt.Bind(at, number).Bind(at + 1, std::int64_t{read.count});
        if (read.count > 0) {
          stmt.Bind(at + 2, read.first_authored_at);
        } else {
          stmt.BindNull(at + 2);
        }
        stmt.Bind(at + 3, read.author_email);
      },
      [repo_id](Statement& stmt, int at) { stmt.Bind(at, repo_id); });
}

}  // namespace leadline::store::sql
