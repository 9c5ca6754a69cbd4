// The GitLab double's per-project listings: merge requests (with their notes and approvals),
// pipelines, environments and deployments, with the filters, orders and defaults of GitLab's
// API (merge requests and pipelines newest first, deployments oldest first).
#include <algorithm>

#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

const std::vector<std::string> kReadScopes = {"api", "read_api"};

std::string Param(const httplib::Request& req, const char* name, const std::string& fallback) {
  return req.has_param(name) ? req.get_param_value(name) : fallback;
}

// Sorts, then sends offset pages; 400 for an order_by or sort the endpoint does not take.
void SendSorted(const GitLabState& state, ApiCall& call, std::vector<Row> rows,
                const std::string& default_order, bool descending_by_default) {
  if (!SortRows(rows, call.req, Param(call.req, "order_by", default_order),
                descending_by_default)) {
    SendError(call.res, 400, "order_by, sort does not have a valid value");
    return;
  }
  SendOffsetPage(state, call.req, call.res, rows);
}

// The merge request `call.ids[1]` names, or 0 (having answered 404).
int MergeRequestIid(const GitLabShape& shape, ApiCall& call) {
  const std::string& text = call.ids.at(1);
  const int iid = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })
                      ? std::atoi(text.c_str())
                      : 0;
  if (iid < 1 || iid > shape.merge_requests) {
    SendMessage(call.res, 404, "404 Not found");
    return 0;
  }
  return iid;
}

// Filters and sorts the merge requests by key, then builds the objects of the page sent only: a
// page's request building every merge request of a large project made the double, not the
// sync, the benchmark's bottleneck.
void ListMergeRequests(const GitLabState& state, ApiCall& call) {
  const GitLabShape shape = state.Shape();
  const std::string wanted = Param(call.req, "state", "all");
  std::vector<Row> rows;
  for (int iid = 1; iid <= shape.merge_requests; ++iid) {
    if (wanted == "all" || MergeRequestState(iid) == wanted) {
      rows.push_back(MergeRequestKey(shape, call.project, iid));
    }
  }
  if (!FilterByTime(rows, call.req, call.res, "created") ||
      !FilterByTime(rows, call.req, call.res, "updated")) {
    return;
  }
  if (!SortRows(rows, call.req, Param(call.req, "order_by", "created_at"), true)) {
    SendError(call.res, 400, "order_by, sort does not have a valid value");
    return;
  }
  SendOffsetPage(state, call.req, call.res, rows, [&](const Row& key) {
    return MergeRequest(shape, state.history(), call.project,
                        MergeRequestIidOf(call.project, key.id))
        .object;
  });
}

void ListPipelines(const GitLabState& state, ApiCall& call) {
  const GitLabShape shape = state.Shape();
  std::vector<Row> rows;
  for (int j = 1; j <= shape.pipelines; ++j) {
    Row row = Pipeline(shape, state.history(), call.project, j);
    if (call.req.has_param("status") &&
        row.object["status"] != call.req.get_param_value("status")) {
      continue;
    }
    if (call.req.has_param("ref") && row.object["ref"] != call.req.get_param_value("ref")) continue;
    rows.push_back(std::move(row));
  }
  if (!FilterByTime(rows, call.req, call.res, "updated")) return;
  SendSorted(state, call, std::move(rows), "id", true);
}

void ListDeployments(const GitLabState& state, ApiCall& call) {
  const httplib::Request& req = call.req;
  const std::string order_by = Param(req, "order_by", "id");
  // As GitLab's DeploymentsFinder insists.
  if ((req.has_param("updated_after") || req.has_param("updated_before")) &&
      order_by != "updated_at") {
    SendMessage(call.res, 400, "`updated_at` filter and `updated_at` sorting must be paired");
    return;
  }
  const bool by_finish = req.has_param("finished_after") || req.has_param("finished_before");
  if (by_finish && (order_by != "finished_at" || req.get_param_value("status") != "success")) {
    SendMessage(call.res, 400,
                "`finished_at` filter requires `finished_at` sort and `success` status filter");
    return;
  }
  const GitLabShape shape = state.Shape();
  std::vector<Row> rows;
  for (int k = 1; k <= shape.deployments; ++k) {
    Row row = Deployment(shape, state.history(), call.project, k);
    if (req.has_param("status") && row.object["status"] != req.get_param_value("status")) continue;
    if (req.has_param("environment") &&
        row.object["environment"]["name"] != req.get_param_value("environment")) {
      continue;
    }
    rows.push_back(std::move(row));
  }
  // A deployment's finish is its update: both filters and orders read the one key.
  if (!FilterByTime(rows, req, call.res, by_finish ? "finished" : "updated")) return;
  SendSorted(state, call, std::move(rows), order_by == "finished_at" ? "updated_at" : order_by,
             false);
}

}  // namespace

void AddProjectRoutes(ApiRoutes& routes, GitLabState& state) {
  routes["GET /projects/:id/merge_requests"] = {
      kReadScopes, [&state](ApiCall& call) { ListMergeRequests(state, call); }};
  routes["GET /projects/:id/merge_requests/:iid"] = {
      kReadScopes, [&state](ApiCall& call) {
        const GitLabShape shape = state.Shape();
        if (const int iid = MergeRequestIid(shape, call); iid > 0) {
          // Only the single GET has diff_refs: the base is main's tip the change was made on.
          nlohmann::json object = MergeRequest(shape, state.history(), call.project, iid).object;
          const std::string base = state.history().DestinationCommit(iid);
          object["diff_refs"] = {{"base_sha", base},
                                 {"head_sha", state.history().SourceCommit(iid)},
                                 {"start_sha", base}};
          SendGitLabJson(call.res, 200, object);
        }
      }};
  routes["GET /projects/:id/merge_requests/:iid/notes"] = {
      kReadScopes, [&state](ApiCall& call) {
        const GitLabShape shape = state.Shape();
        if (const int iid = MergeRequestIid(shape, call); iid > 0) {
          std::vector<Row> notes = MergeRequestNotes(shape, call.project, iid);
          for (Row& posted : state.PostedNotes(call.project.path, iid)) {
            notes.push_back(std::move(posted));
          }
          SendSorted(state, call, std::move(notes), "created_at", true);
        }
      }};
  routes["GET /projects/:id/merge_requests/:iid/approvals"] = {
      kReadScopes, [&state](ApiCall& call) {
        const GitLabShape shape = state.Shape();
        if (const int iid = MergeRequestIid(shape, call); iid > 0) {
          SendGitLabJson(call.res, 200, MergeRequestApprovals(shape, call.project, iid));
        }
      }};
  routes["GET /projects/:id/pipelines"] = {kReadScopes,
                                           [&state](ApiCall& call) { ListPipelines(state, call); }};
  routes["GET /projects/:id/environments"] = {
      kReadScopes, [&state](ApiCall& call) {
        SendOffsetPage(state, call.req, call.res, Environments(state.Shape(), call.project));
      }};
  routes["GET /projects/:id/deployments"] = {
      kReadScopes, [&state](ApiCall& call) { ListDeployments(state, call); }};
}

}  // namespace leadline::testing
