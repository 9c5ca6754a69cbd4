#include "store/sql/platform_rows.h"

#include <string>
#include <tuple>

#include "store/sql/batch_insert.h"

namespace leadline::store::sql {
namespace {

using model::PlatformDeployment;

// The enum value whose name is `name`; a name this build does not know is a database error.
template <typename Enum, std::size_t N>
Result<Enum> FromName(std::string_view name, const Enum (&all)[N], const char* (*name_of)(Enum),
                      const char* what) {
  for (Enum value : all) {
    if (name == name_of(value)) return value;
  }
  return Status::DatabaseError("a stored " + std::string(what) + " has an unknown value '" +
                               std::string(name) + "'");
}

template <typename Enum>
void BindOptionalName(Statement& stmt, int index, const std::optional<Enum>& value,
                      const char* (*name_of)(Enum)) {
  if (value) {
    stmt.Bind(index, std::string_view(name_of(*value)));
  } else {
    stmt.BindNull(index);
  }
}

std::optional<std::int64_t> OptionalInt(const Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return stmt.ColumnInt(index);
}

std::optional<std::string> OptionalText(const Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return std::string(stmt.ColumnText(index));
}

template <typename Enum, std::size_t N>
Result<std::optional<Enum>> OptionalEnum(const Statement& stmt, int index, const Enum (&all)[N],
                                         const char* (*name_of)(Enum), const char* what) {
  if (stmt.ColumnIsNull(index)) return std::optional<Enum>();
  LEADLINE_ASSIGN_OR_RETURN(const Enum value, FromName(stmt.ColumnText(index), all, name_of, what));
  return std::optional<Enum>(value);
}

// Runs `stmt` once per item after `bind`, and sums the rows each run changed.
template <typename Item, typename Bind>
Result<std::int64_t> RunForEach(Connection& db, Statement& stmt, const std::vector<Item>& items,
                                Bind bind) {
  std::int64_t changed = 0;
  for (const Item& item : items) {
    bind(item);
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
    changed += db.Changes();
  }
  return changed;
}

}  // namespace

Result<std::int64_t> InsertPullRequestActivity(
    Connection& db, std::int64_t repo_id, const std::vector<model::PullRequestActivity>& activity) {
  // A row stored before entries were keyed by their id (upstream_id '') stands for the entries of
  // its second, person and kind: the first of them stored with its id takes its place. A page of
  // entries is one insert, which returns the rows it stored, and one delete of the rows they
  // replace; entries of one second, person and kind go in separate batches (BatchEnd), so that
  // the outcome is the one of an insert and delete per entry in order.
  const auto same_key = [](const model::PullRequestActivity& a,
                           const model::PullRequestActivity& b) {
    return a.pr_number == b.pr_number && a.at == b.at && a.kind == b.kind &&
           a.actor_id == b.actor_id;
  };
  constexpr int kColumns = 7;
  std::int64_t changed = 0;
  for (std::size_t start = 0; start < activity.size();) {
    const std::size_t end = BatchEnd(activity, start, same_key);
    LEADLINE_ASSIGN_OR_RETURN(
        auto insert,
        db.PrepareCached(MultiRowInsertSql(
            "INSERT INTO pull_request_activity (repo_id, pr_number, at, kind, actor_id, "
            "new_state, upstream_id) VALUES",
            kColumns, end - start,
            "ON CONFLICT DO NOTHING RETURNING pr_number, at, kind, actor_id, upstream_id")));
    for (std::size_t i = start; i < end; ++i) {
      const model::PullRequestActivity& entry = activity[i];
      const int at = static_cast<int>(i - start) * kColumns + 1;
      insert.Bind(at, repo_id).Bind(at + 1, entry.pr_number).Bind(at + 2, entry.at);
      insert.Bind(at + 3, std::string_view(model::PullRequestActivityKindName(entry.kind)));
      insert.Bind(at + 4, entry.actor_id);
      BindOptionalName(insert, at + 5, entry.new_state, model::PullRequestStateName);
      insert.Bind(at + 6, entry.upstream_id);
    }
    // The stored entries that carry an id: (pull request, second, kind, person).
    std::vector<std::tuple<std::int64_t, std::int64_t, std::string, std::string>> with_ids;
    for (;;) {
      LEADLINE_ASSIGN_OR_RETURN(const bool row, insert.Step());
      if (!row) break;
      ++changed;
      if (insert.ColumnText(4).empty()) continue;
      with_ids.emplace_back(insert.ColumnInt(0), insert.ColumnInt(1),
                            std::string(insert.ColumnText(2)), std::string(insert.ColumnText(3)));
    }
    insert.Reset();
    if (!with_ids.empty()) {
      std::string sql = "DELETE FROM pull_request_activity WHERE repo_id = ? AND upstream_id = ''";
      for (std::size_t i = 0; i < with_ids.size(); ++i) {
        sql += i == 0 ? " AND (" : " OR ";
        sql += "(pr_number = ? AND at = ? AND kind = ? AND actor_id = ?)";
      }
      LEADLINE_ASSIGN_OR_RETURN(auto replace, db.PrepareCached(sql + ")"));
      replace.Bind(1, repo_id);
      int at = 2;
      for (const auto& [pr_number, second, kind, actor] : with_ids) {
        replace.Bind(at, pr_number).Bind(at + 1, second);
        replace.Bind(at + 2, std::string_view(kind)).Bind(at + 3, std::string_view(actor));
        at += 4;
      }
      LEADLINE_RETURN_IF_ERROR(replace.Run());
    }
    start = end;
  }
  return changed;
}

Result<std::vector<model::PullRequestActivity>> LoadPullRequestActivity(Connection& db,
                                                                        std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT pr_number, at, kind, actor_id, new_state, upstream_id FROM "
                 "pull_request_activity WHERE repo_id = ? ORDER BY pr_number, at, kind, actor_id, "
                 "upstream_id"));
  stmt.Bind(1, repo_id);
  std::vector<model::PullRequestActivity> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::PullRequestActivity entry;
    entry.pr_number = stmt.ColumnInt(0);
    entry.at = stmt.ColumnInt(1);
    LEADLINE_ASSIGN_OR_RETURN(entry.kind,
                              FromName(stmt.ColumnText(2), model::kPullRequestActivityKinds,
                                       model::PullRequestActivityKindName, "activity kind"));
    entry.actor_id = std::string(stmt.ColumnText(3));
    LEADLINE_ASSIGN_OR_RETURN(entry.new_state,
                              OptionalEnum(stmt, 4, model::kPullRequestStates,
                                           model::PullRequestStateName, "pull request state"));
    entry.upstream_id = std::string(stmt.ColumnText(5));
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::int64_t> UpsertPipelines(Connection& db, std::int64_t repo_id,
                                     const std::vector<model::Pipeline>& pipelines) {
  // The WHERE clause skips rows that would not change, so `changes()` counts real updates. A
  // page's pipelines go in one statement (a uuid that repeats starts another).
  return UpsertInBatches(
      db,
      "INSERT INTO pipelines (repo_id, uuid, build_number, ref_name, commit_sha, state, result, "
      "created_at, completed_at, duration_s, ref_type) VALUES",
      11,
      "ON CONFLICT (repo_id, uuid) DO UPDATE SET build_number = excluded.build_number, ref_name = "
      "excluded.ref_name, commit_sha = excluded.commit_sha, state = excluded.state, result = "
      "excluded.result, created_at = excluded.created_at, completed_at = excluded.completed_at, "
      "duration_s = excluded.duration_s, ref_type = excluded.ref_type WHERE pipelines.state IS "
      "DISTINCT FROM excluded.state OR pipelines.result IS DISTINCT FROM excluded.result OR "
      "pipelines.completed_at IS DISTINCT FROM excluded.completed_at OR pipelines.ref_type IS "
      "DISTINCT FROM excluded.ref_type",
      pipelines,
      [](const model::Pipeline& a, const model::Pipeline& b) { return a.uuid == b.uuid; },
      [repo_id](Statement& stmt, const model::Pipeline& p, int at) {
        stmt.Bind(at, repo_id).Bind(at + 1, p.uuid);
        stmt.Bind(at + 2, p.build_number);
        stmt.Bind(at + 3, p.ref_name)
            .Bind(at + 4, p.commit_sha)
            .Bind(at + 5, std::string_view(model::PipelineStateName(p.state)));
        BindOptionalName(stmt, at + 6, p.result, model::PipelineResultName);
        stmt.Bind(at + 7, p.created_at);
        stmt.Bind(at + 8, p.completed_at);
        stmt.Bind(at + 9, p.duration_s);
        stmt.Bind(at + 10, p.ref_type);
      });
}

Result<std::vector<model::Pipeline>> LoadPipelines(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT uuid, build_number, ref_name, commit_sha, state, result, created_at, "
                 "completed_at, duration_s, ref_type FROM pipelines WHERE repo_id = ? ORDER BY "
                 "created_at, "
                 "uuid"));
  stmt.Bind(1, repo_id);
  std::vector<model::Pipeline> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::Pipeline p;
    p.uuid = std::string(stmt.ColumnText(0));
    p.build_number = OptionalInt(stmt, 1);
    p.ref_name = std::string(stmt.ColumnText(2));
    p.commit_sha = std::string(stmt.ColumnText(3));
    LEADLINE_ASSIGN_OR_RETURN(p.state, FromName(stmt.ColumnText(4), model::kPipelineStates,
                                                model::PipelineStateName, "pipeline state"));
    LEADLINE_ASSIGN_OR_RETURN(p.result, OptionalEnum(stmt, 5, model::kPipelineResults,
                                                     model::PipelineResultName, "pipeline result"));
    p.created_at = stmt.ColumnInt(6);
    p.completed_at = OptionalInt(stmt, 7);
    p.duration_s = OptionalInt(stmt, 8);
    p.ref_type = std::string(stmt.ColumnText(9));
    out.push_back(std::move(p));
  }
  return out;
}

Status UpsertEnvironments(Connection& db, std::int64_t repo_id,
                          const std::vector<model::Environment>& environments) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO environments (repo_id, uuid, name, type) VALUES (?, ?, "
                            "?, ?) ON CONFLICT (repo_id, uuid) DO UPDATE SET name = excluded.name, "
                            "type = excluded.type"));
  return RunForEach(db, stmt, environments,
                    [&](const model::Environment& e) {
                      stmt.Bind(1, repo_id)
                          .Bind(2, e.uuid)
                          .Bind(3, e.name)
                          .Bind(4, std::string_view(model::EnvironmentTypeName(e.type)));
                    })
      .status();
}

Result<std::vector<model::Environment>> LoadEnvironments(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT uuid, name, type FROM environments WHERE repo_id = ? ORDER BY name"));
  stmt.Bind(1, repo_id);
  std::vector<model::Environment> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::Environment e;
    e.uuid = std::string(stmt.ColumnText(0));
    e.name = std::string(stmt.ColumnText(1));
    LEADLINE_ASSIGN_OR_RETURN(e.type, FromName(stmt.ColumnText(2), model::kEnvironmentTypes,
                                               model::EnvironmentTypeName, "environment type"));
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::int64_t> UpsertPlatformDeployments(Connection& db, std::int64_t repo_id,
                                               const std::vector<PlatformDeployment>& deployments) {
  // A page's deployments in one statement (a key that repeats starts another).
  return UpsertInBatches(
      db,
      "INSERT INTO platform_deployments (repo_id, provider, uuid, environment_uuid, "
      "environment_name, environment_type, state, status, commit_sha, started_at, completed_at, "
      "release_name, branch) VALUES",
      13,
      "ON CONFLICT (repo_id, provider, uuid) DO UPDATE SET environment_uuid = "
      "excluded.environment_uuid, environment_name = excluded.environment_name, "
      "environment_type = excluded.environment_type, state = excluded.state, status = "
      "excluded.status, commit_sha = excluded.commit_sha, started_at = excluded.started_at, "
      "completed_at = excluded.completed_at, release_name = excluded.release_name, branch = "
      "excluded.branch WHERE platform_deployments.state IS DISTINCT FROM excluded.state OR "
      "platform_deployments.status IS DISTINCT FROM excluded.status OR "
      "platform_deployments.completed_at IS DISTINCT FROM excluded.completed_at OR "
      "platform_deployments.branch IS DISTINCT FROM excluded.branch",
      deployments,
      [](const PlatformDeployment& a, const PlatformDeployment& b) {
        return a.provider == b.provider && a.uuid == b.uuid;
      },
      [repo_id](Statement& stmt, const PlatformDeployment& d, int at) {
        stmt.Bind(at, repo_id)
            .Bind(at + 1, std::string_view(model::ProviderName(d.provider)))
            .Bind(at + 2, d.uuid);
        stmt.Bind(at + 3, d.environment_uuid);
        stmt.Bind(at + 4, d.environment_name);
        BindOptionalName(stmt, at + 5, d.environment_type, model::EnvironmentTypeName);
        stmt.Bind(at + 6, std::string_view(model::PlatformDeploymentStateName(d.state)));
        BindOptionalName(stmt, at + 7, d.status, model::PlatformDeploymentStatusName);
        stmt.Bind(at + 8, d.commit_sha);
        stmt.Bind(at + 9, d.started_at);
        stmt.Bind(at + 10, d.completed_at);
        stmt.Bind(at + 11, d.release_name);
        stmt.Bind(at + 12, d.branch);
      });
}

Result<std::vector<PlatformDeployment>> LoadPlatformDeployments(Connection& db,
                                                                std::int64_t repo_id) {
  // The environment's own name and type win over what the deployment carried: a deployment
  // lists its environment by uuid only, unless it was asked for more.
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT d.uuid, d.environment_uuid, COALESCE(e.name, d.environment_name), "
                 "COALESCE(e.type, d.environment_type), d.state, d.status, d.commit_sha, "
                 "d.started_at, d.completed_at, d.release_name, d.provider, d.branch FROM "
                 "platform_deployments d LEFT JOIN environments e ON e.repo_id = d.repo_id AND "
                 "e.uuid = d.environment_uuid WHERE d.repo_id = ? ORDER BY d.started_at, "
                 "d.provider, d.uuid"));
  stmt.Bind(1, repo_id);
  std::vector<PlatformDeployment> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    PlatformDeployment d;
    d.uuid = std::string(stmt.ColumnText(0));
    d.environment_uuid = OptionalText(stmt, 1);
    d.environment_name = OptionalText(stmt, 2);
    LEADLINE_ASSIGN_OR_RETURN(d.environment_type,
                              OptionalEnum(stmt, 3, model::kEnvironmentTypes,
                                           model::EnvironmentTypeName, "environment type"));
    LEADLINE_ASSIGN_OR_RETURN(d.state,
                              FromName(stmt.ColumnText(4), model::kPlatformDeploymentStates,
                                       model::PlatformDeploymentStateName, "deployment state"));
    LEADLINE_ASSIGN_OR_RETURN(
        d.status, OptionalEnum(stmt, 5, model::kPlatformDeploymentStatuses,
                               model::PlatformDeploymentStatusName, "deployment status"));
    d.commit_sha = std::string(stmt.ColumnText(6));
    d.started_at = OptionalInt(stmt, 7);
    d.completed_at = OptionalInt(stmt, 8);
    d.release_name = std::string(stmt.ColumnText(9));
    const std::optional<model::Provider> provider = model::ParseProvider(stmt.ColumnText(10));
    if (!provider) {
      return Status::DatabaseError("a stored platform deployment has an unknown provider '" +
                                   std::string(stmt.ColumnText(10)) + "'");
    }
    d.provider = *provider;
    d.branch = OptionalText(stmt, 11);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace leadline::store::sql
