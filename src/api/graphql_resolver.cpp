#include "api/graphql_resolver.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <span>
#include <variant>

#include "api/graphql/schema.h"
#include "api/leadline_sdl.h"
#include "common/base64.h"
#include "engine/benchmark_levels.h"
#include "engine/scope_metrics.h"
#include "query/data_quality.h"
#include "query/deployments.h"
#include "query/incidents.h"
#include "query/pull_requests.h"
#include "query/scope.h"
#include "query/teams.h"

namespace leadline::api {
namespace {

using graphql::FieldCall;
using graphql::ObjectHandle;
using graphql::Resolved;
using graphql::Unowned;
using graphql::Value;

constexpr char kNotFound[] = "NOT_FOUND";
constexpr char kBadUserInput[] = "BAD_USER_INPUT";

// A page of a connection; edges and page info point into it.
struct Connection {
  struct Edge {
    std::string cursor;
    ObjectHandle node;
  };
  std::vector<Edge> edges;
  bool has_next = false;
  bool has_previous = false;
  std::size_t total = 0;
};

// What Dora.metrics measures: a project's or a repository's repositories, and for a team, the
// pull request figures of its members only.
struct DoraScope {
  std::vector<const query::RepositoryView*> repositories;
  std::optional<std::vector<std::uint32_t>> team;
};

// A branch or tag with the repository it belongs to (a branch knows whether it is the default).
struct RefNode {
  const model::Ref* ref = nullptr;
  const query::RepositoryView* repo = nullptr;
};

struct DoraRow {
  std::optional<std::string> date;
  engine::ScopeMetrics metrics;
};

template <typename T>
const T& As(const ObjectHandle& handle) {
  return *static_cast<const T*>(handle.get());
}

Resolved String(std::string text) { return Resolved::Leaf(Value::String(std::move(text))); }
Resolved OptionalString(const std::optional<std::string>& text) {
  return text ? String(*text) : Resolved::Null();
}
Resolved NonEmpty(const std::string& text) {
  return text.empty() ? Resolved::Null() : String(text);
}
Resolved Int(std::int64_t n) { return Resolved::Leaf(Value::Int(n)); }
Resolved Float(double x) { return Resolved::Leaf(Value::Float(x)); }
Resolved OptionalFloat(const std::optional<double>& x) { return x ? Float(*x) : Resolved::Null(); }
Resolved Boolean(bool b) { return Resolved::Leaf(Value::Boolean(b)); }
Resolved OptionalSeconds(const std::optional<common::Seconds>& seconds) {
  return seconds ? Float(static_cast<double>(*seconds)) : Resolved::Null();
}

Resolved OptionalTime(const std::optional<common::UnixSeconds>& at) {
  return at ? String(common::FormatRfc3339(*at)) : Resolved::Null();
}

Resolved Strings(const std::vector<std::string>& texts) {
  std::vector<Resolved> items;
  items.reserve(texts.size());
  for (const std::string& text : texts) items.push_back(String(text));
  return Resolved::List(std::move(items));
}

const Value* Argument(const FieldCall& call, std::string_view name) {
  const Value* value = call.arguments.Find(name);
  return value == nullptr || value->is_null() ? nullptr : value;
}

// `first` of a connection: required by the schema, 1 to kMaxConnectionPage.
std::optional<std::size_t> First(const FieldCall& call, std::string* error) {
  const Value* first = Argument(call, "first");
  if (first == nullptr || first->integer < 1 || first->integer > kMaxConnectionPage) {
    *error = "first: between 1 and " + std::to_string(kMaxConnectionPage);
    return std::nullopt;
  }
  return static_cast<std::size_t>(first->integer);
}

constexpr char kBadCursor[] =
    "after: not a cursor of this list; pass a pageInfo.endCursor of the same list as it is";

std::string Cursor(std::string_view key) { return common::Base64Url(key); }

// The key a cursor holds when it begins with `kind` ("r:" or "d:<repository id>:").
std::optional<std::string> CursorKey(const FieldCall& call, const std::string& kind) {
  const Value* after = Argument(call, "after");
  if (after == nullptr) return std::string();
  auto decoded = common::DecodeBase64Url(after->string);
  if (!decoded || decoded->rfind(kind, 0) != 0 || decoded->size() == kind.size()) {
    return std::nullopt;
  }
  return decoded->substr(kind.size());
}

// The repositories of a list after the cursor, as a page of `first`.
Resolved RepositoryPage(const FieldCall& call,
                        const std::vector<const query::RepositoryView*>& repositories) {
  std::string error;
  const auto first = First(call, &error);
  if (!first) return Resolved::Error(error, kBadUserInput);
  const auto after = CursorKey(call, "r:");
  if (!after) return Resolved::Error(kBadCursor, kBadUserInput);
  // By full name, as the view lists them: the page begins past the cursor's name.
  auto begin = repositories.begin();
  if (!after->empty()) {
    begin = std::upper_bound(repositories.begin(), repositories.end(), *after,
                             [](const std::string& key, const query::RepositoryView* repo) {
                               return key < repo->repository.location;
                             });
  }
  auto connection = std::make_shared<Connection>();
  connection->total = repositories.size();
  connection->has_previous = begin != repositories.begin();
  const std::size_t available = static_cast<std::size_t>(repositories.end() - begin);
  const std::size_t count = std::min(*first, available);
  connection->has_next = count < available;
  for (std::size_t i = 0; i < count; ++i) {
    const query::RepositoryView* repo = begin[static_cast<std::ptrdiff_t>(i)];
    connection->edges.push_back({Cursor("r:" + repo->repository.location), Unowned(repo)});
  }
  return Resolved::Object(std::move(connection));
}

// Where a list ordered newest first (query/) stands: a row's time and its position in its
// repository's list, which breaks ties the way the order does.
struct TimeKey {
  common::UnixSeconds at = 0;
  std::uint64_t index = 0;
};

// A page of one repository's list, ordered as query/ orders it: `first` and the key of `after`,
// whose cursor reads "<kind><time>:<position>" (kind names the list and the repository).
struct KeysetRequest {
  std::size_t first = 0;
  std::optional<TimeKey> after;
};

common::Result<KeysetRequest> ReadKeysetRequest(const FieldCall& call, const std::string& kind) {
  std::string error;
  const auto first = First(call, &error);
  if (!first) return common::Status::InvalidArgument(error);
  const auto after = CursorKey(call, kind);
  if (!after) return common::Status::InvalidArgument(kBadCursor);
  KeysetRequest out{*first, std::nullopt};
  if (!after->empty()) {
    long long at = 0;
    unsigned long long index = 0;
    int consumed = 0;
    if (std::sscanf(after->c_str(), "%lld:%llu%n", &at, &index, &consumed) != 2 ||
        static_cast<std::size_t>(consumed) != after->size()) {
      return common::Status::InvalidArgument(kBadCursor);
    }
    out.after = TimeKey{at, index};
  }
  return out;
}

// The page of `rows` (newest first, ties by position) past the request's cursor; key_of(row)
// gives a row's TimeKey, node_of(row) its node.
template <typename Row, typename KeyOf, typename NodeOf>
Resolved KeysetPage(const KeysetRequest& request, const std::string& kind,
                    const std::vector<Row>& rows, KeyOf key_of, NodeOf node_of) {
  auto begin = rows.begin();
  if (request.after) {
    // The rows up to the cursor's (newer, or as new and listed before) are a prefix.
    const TimeKey after = *request.after;
    begin = std::partition_point(rows.begin(), rows.end(), [&](const Row& row) {
      const TimeKey key = key_of(row);
      return key.at != after.at ? key.at > after.at : key.index <= after.index;
    });
  }
  auto connection = std::make_shared<Connection>();
  connection->total = rows.size();
  connection->has_previous = begin != rows.begin();
  const std::size_t available = static_cast<std::size_t>(rows.end() - begin);
  const std::size_t count = std::min(request.first, available);
  connection->has_next = count < available;
  for (std::size_t i = 0; i < count; ++i) {
    const Row& row = begin[static_cast<std::ptrdiff_t>(i)];
    const TimeKey key = key_of(row);
    connection->edges.push_back(
        {Cursor(kind + std::to_string(key.at) + ":" + std::to_string(key.index)), node_of(row)});
  }
  return Resolved::Object(std::move(connection));
}

// A list of one repository: `kind` and the rows as query/ lists them, asked for only once the
// arguments are good.
template <typename ListRows, typename KeyOf, typename NodeOf>
Resolved RepositoryListPage(const FieldCall& call, const char* list,
                            const query::RepositoryView& repo, ListRows list_rows, KeyOf key_of,
                            NodeOf node_of) {
  const std::string kind = list + std::to_string(repo.repository.id) + ":";
  auto request = ReadKeysetRequest(call, kind);
  if (!request.ok()) return Resolved::Error(request.status().message(), kBadUserInput);
  const query::RepositoryView* const repos[] = {&repo};
  return KeysetPage(*request, kind, list_rows(repos), key_of, node_of);
}

// A repository's deployments in the order of every list of them (query/deployments.h).
Resolved DeploymentPage(const FieldCall& call, const query::RepositoryView& repo) {
  return RepositoryListPage(
      call, "d:", repo,
      [](std::span<const query::RepositoryView* const> repos) {
        return query::DeploymentsNewestFirst(repos, std::nullopt, false);
      },
      [](const query::DeploymentRef& row) {
        return TimeKey{row.deployment().finished_at, row.row->index};
      },
      [](const query::DeploymentRef& row) -> ObjectHandle {
        return std::make_shared<query::DeploymentRef>(row);
      });
}

// A repository's pull requests, newest opened first (query/pull_requests.h).
Resolved PullRequestPage(const FieldCall& call, const query::RepositoryView& repo) {
  return RepositoryListPage(
      call, "p:", repo,
      [](std::span<const query::RepositoryView* const> repos) {
        return query::PullRequestsNewestFirst(repos, query::PullRequestTime::kCreated,
                                              std::nullopt);
      },
      [](const query::PullRequestRef& row) {
        return TimeKey{row.row->created_at, row.index};
      },
      [](const query::PullRequestRef& row) { return Unowned(row.row); });
}

// A repository's incidents, newest begun first (query/incidents.h).
Resolved IncidentPage(const FieldCall& call, const query::RepositoryView& repo) {
  return RepositoryListPage(
      call, "i:", repo,
      [](std::span<const query::RepositoryView* const> repos) {
        return query::IncidentsNewestFirst(repos, std::nullopt);
      },
      [](const query::IncidentRef& row) {
        return TimeKey{row.row->started_at, row.index};
      },
      [](const query::IncidentRef& row) { return Unowned(row.row); });
}

// A repository's branches or tags (`kind` "b:" or "t:"), by name: the page past the cursor's.
Resolved RefPage(const FieldCall& call, const query::RepositoryView& repo, model::RefKind ref_kind,
                 const char* kind) {
  std::string error;
  const auto first = First(call, &error);
  if (!first) return Resolved::Error(error, kBadUserInput);
  const std::string prefix = kind + std::to_string(repo.repository.id) + ":";
  const auto after = CursorKey(call, prefix);
  if (!after) return Resolved::Error(kBadCursor, kBadUserInput);
  std::vector<const model::Ref*> refs;
  for (const model::Ref& ref : repo.refs) {
    if (ref.kind == ref_kind) refs.push_back(&ref);
  }
  auto begin = refs.begin();
  if (!after->empty()) {
    begin = std::upper_bound(
        refs.begin(), refs.end(), *after,
        [](const std::string& key, const model::Ref* ref) { return key < ref->name; });
  }
  auto connection = std::make_shared<Connection>();
  connection->total = refs.size();
  connection->has_previous = begin != refs.begin();
  const std::size_t available = static_cast<std::size_t>(refs.end() - begin);
  const std::size_t count = std::min(*first, available);
  connection->has_next = count < available;
  for (std::size_t i = 0; i < count; ++i) {
    const model::Ref* ref = begin[static_cast<std::ptrdiff_t>(i)];
    connection->edges.push_back(
        {Cursor(prefix + ref->name), std::make_shared<RefNode>(RefNode{ref, &repo})});
  }
  return Resolved::Object(std::move(connection));
}

// A repository's builds, newest created first (the view keeps them so).
Resolved BuildPage(const FieldCall& call, const query::RepositoryView& repo) {
  const std::string kind = "c:" + std::to_string(repo.repository.id) + ":";
  auto request = ReadKeysetRequest(call, kind);
  if (!request.ok()) return Resolved::Error(request.status().message(), kBadUserInput);
  std::vector<std::pair<const model::Pipeline*, std::uint64_t>> rows;
  for (std::size_t i = 0; i < repo.builds.size(); ++i) rows.emplace_back(&repo.builds[i], i);
  using Row = std::pair<const model::Pipeline*, std::uint64_t>;
  return KeysetPage(
      *request, kind, rows,
      [](const Row& row) {
        return TimeKey{row.first->created_at, row.second};
      },
      [](const Row& row) { return Unowned(row.first); });
}

std::optional<std::string> StringArgument(const FieldCall& call, std::string_view name) {
  const Value* value = Argument(call, name);
  return value ? std::optional<std::string>(value->string) : std::nullopt;
}

// The scope and window of a root field's arguments (project, repository, team; window, since,
// until), read as the REST routes read their parameters (api/scope_params.h); an error answers
// NOT_FOUND for what the caller may not see and BAD_USER_INPUT for a window that is not one.
struct ScopeAndWindow {
  query::ResolvedScope scope;
  engine::ReportWindow window;
};

std::variant<ScopeAndWindow, Resolved> ReadScopeAndWindow(const FieldCall& call,
                                                          const query::MetricsView& view,
                                                          const auth::Principal& principal,
                                                          common::UnixSeconds now) {
  auto scope =
      query::ResolveScope(view, principal,
                          {StringArgument(call, "project"), StringArgument(call, "repository"),
                           StringArgument(call, "team")});
  if (!scope.ok()) {
    return Resolved::Error(
        scope.status().message(),
        scope.status().code() == common::StatusCode::kNotFound ? kNotFound : kBadUserInput);
  }
  auto window = query::ResolveWindow({StringArgument(call, "since"), StringArgument(call, "until"),
                                      StringArgument(call, "window")},
                                     *scope, now);
  if (!window.ok()) return Resolved::Error(window.status().message(), kBadUserInput);
  return ScopeAndWindow{std::move(*scope), *window};
}

// The page of a scope's deployments (query/deployments.h's order) past the cursor, which reads
// "D:<finish time>:<position in its repository's list>:<repository full name>": a place in that
// order, so that a page does not shift when deployments are added.
Resolved ScopeDeploymentPage(const FieldCall& call, const std::vector<query::DeploymentRef>& rows) {
  std::string error;
  const auto first = First(call, &error);
  if (!first) return Resolved::Error(error, kBadUserInput);
  const auto after = CursorKey(call, "D:");
  if (!after) return Resolved::Error(kBadCursor, kBadUserInput);
  auto begin = rows.begin();
  if (!after->empty()) {
    long long at = 0;
    unsigned long long index = 0;
    int consumed = 0;
    if (std::sscanf(after->c_str(), "%lld:%llu:%n", &at, &index, &consumed) != 2 || consumed == 0 ||
        static_cast<std::size_t>(consumed) == after->size()) {
      return Resolved::Error(kBadCursor, kBadUserInput);
    }
    const std::string location = after->substr(static_cast<std::size_t>(consumed));
    // The rows at or before the cursor's place are a prefix.
    begin = std::partition_point(rows.begin(), rows.end(), [&](const query::DeploymentRef& row) {
      const common::UnixSeconds finished = row.deployment().finished_at;
      if (finished != at) return finished > at;
      const std::string& name = row.repo->repository.location;
      if (name != location) return name < location;
      return row.row->index <= index;
    });
  }
  auto connection = std::make_shared<Connection>();
  connection->total = rows.size();
  connection->has_previous = begin != rows.begin();
  const std::size_t available = static_cast<std::size_t>(rows.end() - begin);
  const std::size_t count = std::min(*first, available);
  connection->has_next = count < available;
  for (std::size_t i = 0; i < count; ++i) {
    const query::DeploymentRef& row = begin[static_cast<std::ptrdiff_t>(i)];
    connection->edges.push_back(
        {Cursor("D:" + std::to_string(row.deployment().finished_at) + ":" +
                std::to_string(row.row->index) + ":" + row.repo->repository.location),
         std::make_shared<query::DeploymentRef>(row)});
  }
  return Resolved::Object(std::move(connection));
}

// One repository's findings over the window of `dataQuality`.
struct RepositoryFindings {
  const query::RepositoryView* repo = nullptr;
  std::vector<engine::Finding> findings;
};

// `integrations`: the status read once, and the poll's state when the caller may see it.
struct IntegrationsNode {
  query::IntegrationStatus status;
  std::optional<ReconciliationState> reconciliation;
};

Resolved FindingField(const std::string& field, const engine::Finding& finding) {
  if (field == "check") return String(finding.check);
  if (field == "severity") return String(query::SeverityName(finding));
  if (field == "message") return String(finding.message);
  if (field == "fix") return String(finding.fix);
  return Resolved::Error("no resolver for Finding." + field);
}

Resolved IntegrationsField(const std::string& field, const ObjectHandle& parent) {
  const auto& node = As<IntegrationsNode>(parent);
  if (field == "connections") {
    std::vector<Resolved> items;
    for (const query::ConnectionStatus& item : node.status.connections) {
      items.push_back(Resolved::Object(ObjectHandle(parent, &item)));
    }
    return Resolved::List(std::move(items));
  }
  if (field == "reconciliation") {
    return node.reconciliation ? Resolved::Object(ObjectHandle(parent, &*node.reconciliation))
                               : Resolved::Null();
  }
  return Resolved::Error("no resolver for Integrations." + field);
}

Resolved IntegrationField(const std::string& field, const ObjectHandle& parent) {
  const auto& item = As<query::ConnectionStatus>(parent);
  const model::Connection& connection = item.connection;
  if (field == "id") return Int(connection.id);
  if (field == "name") return String(connection.name);
  if (field == "provider") return String(model::ProviderName(connection.provider));
  if (field == "url") return String(connection.url);
  if (field == "connected") return Boolean(item.connected);
  if (field == "checkedAt") return OptionalTime(connection.checked_at);
  if (field == "selectedRepositories") {
    return Int(static_cast<std::int64_t>(item.selected_repositories));
  }
  if (field == "lastSyncAt") return OptionalTime(item.last_sync_at);
  if (field == "lastWebhook") {
    return item.last_delivery ? Resolved::Object(ObjectHandle(parent, &*item.last_delivery))
                              : Resolved::Null();
  }
  if (field == "incidentTool") {
    return item.incident_tool ? Resolved::Object(ObjectHandle(parent, &*item.incident_tool))
                              : Resolved::Null();
  }
  if (field == "feedbackRefused") {
    std::vector<Resolved> items;
    for (const query::FeedbackRefusal& refused : item.feedback_refused) {
      items.push_back(Resolved::Object(ObjectHandle(parent, &refused)));
    }
    return Resolved::List(std::move(items));
  }
  return Resolved::Error("no resolver for Integration." + field);
}

Resolved FeedbackRefusalField(const std::string& field, const query::FeedbackRefusal& refused) {
  if (field == "repository") return String(refused.repository);
  if (field == "refusedAt") return String(common::FormatRfc3339(refused.refused_at));
  if (field == "reason") return String(refused.reason);
  return Resolved::Error("no resolver for FeedbackRefusal." + field);
}

// As GET /v1/integrations' `incident_tool` (api/catalog_routes.cpp).
Resolved IncidentToolField(const std::string& field, const ObjectHandle& parent) {
  const query::IncidentToolStatus& tool = As<query::IncidentToolStatus>(parent);
  if (field == "services") return Int(static_cast<std::int64_t>(tool.services));
  if (field == "mappedServices") return Int(static_cast<std::int64_t>(tool.mapped_services));
  if (field == "configuredServices") {
    return Int(static_cast<std::int64_t>(tool.configured_services));
  }
  if (field == "counts") return Strings(tool.counts);
  if (field == "sync") return String(query::IncidentSyncStateName(tool.sync));
  if (field == "changeEvents") {
    return tool.change_events ? Resolved::Object(ObjectHandle(parent, &*tool.change_events))
                              : Resolved::Null();
  }
  return Resolved::Error("no resolver for IncidentTool." + field);
}

Resolved ChangeEventCountsField(const std::string& field, const query::ChangeEventCounts& counts) {
  if (field == "services") return Int(static_cast<std::int64_t>(counts.services));
  if (field == "sent") return Int(counts.sent);
  if (field == "pending") return Int(counts.pending);
  if (field == "failed") return Int(counts.failed);
  return Resolved::Error("no resolver for ChangeEventCounts." + field);
}

Resolved WebhookDeliveryField(const std::string& field, const model::WebhookDelivery& delivery) {
  if (field == "receivedAt") return String(common::FormatRfc3339(delivery.received_at));
  if (field == "event") return String(delivery.event_key);
  if (field == "outcome") return String(query::OutcomeOf(delivery).outcome);
  if (field == "detail") return String(query::OutcomeOf(delivery).detail);
  return Resolved::Error("no resolver for WebhookDelivery." + field);
}

// As GET /v1/integrations' `reconciliation` (api/catalog_routes.cpp).
Resolved ReconciliationField(const std::string& field, const ReconciliationState& state) {
  const bool on = state.every != 0;
  const bool ran = on && state.last_run_at.has_value();
  if (field == "everySeconds") return on ? Int(state.every) : Resolved::Null();
  if (field == "lastRunAt") return on ? OptionalTime(state.last_run_at) : Resolved::Null();
  if (field == "lastRunOk") return ran ? Boolean(state.last_run_ok) : Resolved::Null();
  if (field == "error")
    return ran && !state.last_run_ok ? String(state.last_error) : Resolved::Null();
  if (field == "lagSeconds") return on ? Int(state.lag) : Resolved::Null();
  return Resolved::Error("no resolver for Reconciliation." + field);
}

Resolved ConnectionField(const std::string& field, const ObjectHandle& parent) {
  const auto& connection = As<Connection>(parent);
  if (field == "totalCount") return Int(static_cast<std::int64_t>(connection.total));
  if (field == "pageInfo") return Resolved::Object(parent);
  std::vector<Resolved> items;
  for (const Connection::Edge& edge : connection.edges) {
    items.push_back(Resolved::Object(field == "edges" ? ObjectHandle(parent, &edge) : edge.node));
  }
  return Resolved::List(std::move(items));
}

Resolved PageInfoField(const std::string& field, const Connection& connection) {
  if (field == "hasNextPage") return Boolean(connection.has_next);
  if (field == "hasPreviousPage") return Boolean(connection.has_previous);
  if (connection.edges.empty()) return Resolved::Null();
  return String(field == "startCursor" ? connection.edges.front().cursor
                                       : connection.edges.back().cursor);
}

Resolved DeploymentField(const std::string& field, const query::DeploymentRef& ref) {
  const model::Deployment& d = ref.deployment();
  const engine::DeploymentRow& row = *ref.row;
  if (field == "repository") return Resolved::Object(Unowned(ref.repo));
  if (field == "ref") return String(d.ref);
  if (field == "sha") return String(d.sha);
  if (field == "finishedAt") return String(common::FormatRfc3339(d.finished_at));
  if (field == "status") return String(model::DeploymentStatusName(d.status));
  if (field == "changeCount") return Int(row.change_count);
  if (field == "leadTimeSample") return Int(static_cast<std::int64_t>(row.credited_changes));
  if (field == "leadTimeMedianSeconds") return OptionalFloat(row.lead_time_median_s);
  if (field == "firstDeploymentLookback") return Boolean(row.lookback_applied);
  if (field == "failed") return Boolean(row.failed());
  if (field == "failureReasons") {
    std::vector<Resolved> items;
    for (const engine::FailureEvidence& reason : row.failure_reasons) {
      items.push_back(Resolved::Object(Unowned(&reason)));
    }
    return Resolved::List(std::move(items));
  }
  if (field == "restoredBy") return OptionalString(row.restored_by);
  if (field == "restoredByIncident") return OptionalString(row.restored_by_incident);
  if (field == "recoverySeconds") {
    return row.recovery_s ? Float(static_cast<double>(*row.recovery_s)) : Resolved::Null();
  }
  if (field == "rework") return Boolean(!row.rework_reasons.empty());
  if (field == "reworkReasons") return Strings(row.rework_reasons);
  return Resolved::Error("no resolver for Deployment." + field);
}

// The fields of GET /v1/pull-requests' rows (api/metrics_json.h), by the same rules.
Resolved BranchField(const std::string& field, const RefNode& node) {
  const model::Ref& ref = *node.ref;
  if (field == "name") return String(ref.name);
  if (field == "sha") return String(ref.target_sha);
  if (field == "isDefault") return Boolean(node.repo->repository.default_branch == ref.name);
  return Resolved::Error("no resolver for Branch." + field);
}

Resolved TagField(const std::string& field, const model::Ref& ref) {
  if (field == "name") return String(ref.name);
  if (field == "sha") return String(ref.target_sha);
  if (field == "taggedAt") return OptionalTime(ref.tag_time);
  return Resolved::Error("no resolver for Tag." + field);
}

Resolved BuildField(const std::string& field, const model::Pipeline& build) {
  if (field == "number") return build.build_number ? Int(*build.build_number) : Resolved::Null();
  if (field == "ref") return NonEmpty(build.ref_name);
  if (field == "sha") return String(build.commit_sha);
  if (field == "state") return String(model::PipelineStateName(build.state));
  if (field == "result") {
    return build.result ? String(model::PipelineResultName(*build.result)) : Resolved::Null();
  }
  if (field == "createdAt") return String(common::FormatRfc3339(build.created_at));
  if (field == "completedAt") return OptionalTime(build.completed_at);
  if (field == "durationSeconds") {
    return build.duration_s ? Int(*build.duration_s) : Resolved::Null();
  }
  return Resolved::Error("no resolver for Build." + field);
}

Resolved PullRequestField(const std::string& field, const engine::PullRequestStages& pr) {
  if (field == "number") return Int(pr.number);
  if (field == "title") return String(pr.title);
  if (field == "state") {
    return Resolved::Leaf(Value::Enum(model::PullRequestStateName(pr.state)));
  }
  if (field == "author") return String(pr.author.name.empty() ? pr.author.id : pr.author.name);
  if (field == "createdAt") return String(common::FormatRfc3339(pr.created_at));
  if (field == "mergedAt") return OptionalTime(pr.merged_at);
  if (field == "progress") return String(engine::PullRequestProgressName(pr.progress));
  if (field == "commits") return Int(static_cast<std::int64_t>(pr.commits));
  if (field == "commitsEstimated") return Boolean(pr.commits_estimated());
  if (field == "bot") return Boolean(pr.bot);
  if (field == "filesChanged") return pr.size ? Int(pr.size->files_changed) : Resolved::Null();
  if (field == "linesAdded") return pr.size ? Int(pr.size->lines_added) : Resolved::Null();
  if (field == "linesDeleted") return pr.size ? Int(pr.size->lines_deleted) : Resolved::Null();
  if (field == "reviewComments") return Int(static_cast<std::int64_t>(pr.review_comments));
  if (field == "reviewers") return Int(static_cast<std::int64_t>(pr.reviewers));
  if (field == "firstCommitAt") return OptionalTime(pr.first_commit_at);
  if (field == "firstReviewAt") return OptionalTime(pr.first_review_at);
  if (field == "deployedAt") return OptionalTime(pr.deployed_at);
  if (field == "beforeFirstLookback") return Boolean(pr.before_first_lookback);
  if (field == "codingSeconds") return OptionalSeconds(pr.coding);
  if (field == "pickupSeconds") return OptionalSeconds(pr.pickup);
  if (field == "reviewSeconds") return OptionalSeconds(pr.review);
  if (field == "deploySeconds") return OptionalSeconds(pr.deploy);
  if (field == "totalSeconds") return OptionalSeconds(pr.total);
  return Resolved::Error("no resolver for PullRequest." + field);
}

// The fields of GET /v1/incidents' rows (api/metrics_json.h).
Resolved IncidentField(const std::string& field, const engine::IncidentRow& incident) {
  if (field == "id") return String(incident.id);
  if (field == "source") return String(incident.source);
  if (field == "service") return String(incident.service);
  if (field == "severity") return String(incident.severity);
  if (field == "title") return String(incident.title);
  if (field == "startedAt") return String(common::FormatRfc3339(incident.started_at));
  if (field == "acknowledgedAt") return OptionalTime(incident.acknowledged_at);
  if (field == "resolvedAt") return OptionalTime(incident.resolved_at);
  if (field == "link") return NonEmpty(incident.link);
  if (field == "linkedBy") return String(incident.linked_by);
  if (field == "deployment") return OptionalString(incident.deployment);
  if (field == "notTied") return NonEmpty(incident.not_tied);
  return Resolved::Error("no resolver for Incident." + field);
}

Resolved FailureReasonField(const std::string& field, const engine::FailureEvidence& reason) {
  if (field == "reason") return String(reason.reason);
  if (field == "environment") return NonEmpty(reason.environment);
  if (field == "commit") return NonEmpty(reason.commit);
  if (field == "revertedCommit") return NonEmpty(reason.reverted);
  if (field == "branch") return NonEmpty(reason.branch);
  if (field == "incident") return NonEmpty(reason.incident);
  if (field == "linkedBy")
    return reason.incident.empty() ? Resolved::Null() : String(reason.linked_by);
  return Resolved::Error("no resolver for FailureReason." + field);
}

Resolved DoraMetricField(const std::string& field, const ObjectHandle& parent) {
  const auto& row = As<DoraRow>(parent);
  const engine::Summary& s = row.metrics.summary;
  const auto median = [](const engine::Distribution& d) {
    return d.count > 0 ? Float(d.median) : Resolved::Null();
  };
  if (field == "date") return OptionalString(row.date);
  if (field == "deploymentFrequency") return Float(s.frequency.deploys_per_day);
  if (field == "leadTimeForChanges") return median(s.lead_time_s);
  if (field == "changeFailureRate") return OptionalFloat(s.change_fail_rate);
  if (field == "timeToRestoreService") return median(s.recovery_s);
  if (field == "reworkRate") return OptionalFloat(s.rework_rate);
  if (field == "deployments") return Int(static_cast<std::int64_t>(s.deployments));
  if (field == "deploymentAttempts") return Int(static_cast<std::int64_t>(s.deployment_attempts));
  if (field == "failedDeployments") return Int(static_cast<std::int64_t>(s.failed_deployments));
  if (field == "leadTimeSample") return Int(static_cast<std::int64_t>(s.lead_time_s.count));
  if (field == "recoverySample") return Int(static_cast<std::int64_t>(s.recovery_s.count));
  if (field == "levels") return Resolved::Object(ObjectHandle(parent, &s.levels));
  if (field == "proxy") return Boolean(row.metrics.proxy_repositories > 0);
  if (field == "stages") return Resolved::Object(ObjectHandle(parent, &row.metrics.stages));
  return Resolved::Error("no resolver for DoraMetric." + field);
}

Resolved StageMediansField(const std::string& field, const engine::StageSummary& stages) {
  const auto median = [](const engine::Distribution& d) {
    return d.count > 0 ? Float(d.median) : Resolved::Null();
  };
  if (field == "merged") return Int(static_cast<std::int64_t>(stages.merged));
  if (field == "botsExcluded") return Int(static_cast<std::int64_t>(stages.bots_excluded));
  if (field == "commitsEstimated") return Int(static_cast<std::int64_t>(stages.estimated));
  if (field == "codingSeconds") return median(stages.coding);
  if (field == "pickupSeconds") return median(stages.pickup);
  if (field == "reviewSeconds") return median(stages.review);
  if (field == "deploySeconds") return median(stages.deploy);
  if (field == "totalSeconds") return median(stages.total);
  return Resolved::Error("no resolver for StageMedians." + field);
}

Resolved DoraLevelsField(const std::string& field, const engine::Levels& levels) {
  if (field == "year") return Int(levels.year);
  if (field == "deploymentFrequency") return OptionalString(levels.deployment_frequency);
  if (field == "leadTime") return OptionalString(levels.lead_time);
  if (field == "changeFailRate") return OptionalString(levels.change_fail_rate);
  if (field == "recovery") return OptionalString(levels.recovery);
  return Resolved::Error("no resolver for DoraLevels." + field);
}

// Dora.metrics' arguments, checked once for every parent.
struct DoraArguments {
  engine::ReportWindow window;
  std::vector<engine::ReportWindow> buckets;
  std::vector<std::optional<std::string>> dates;
  int year = 0;
};

using Days = std::chrono::sys_days;

std::string FormatDate(Days day) {
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// "YYYY-MM-DD" as RFC 3339 midnight (UTC), `days_after` days later.
common::Result<std::string> DateArgument(const Value* value, const char* name, int days_after) {
  const std::string& text = value->string;
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      std::all_of(text.begin(), text.end(),
                                  [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  auto parsed = shaped ? common::ParseRfc3339(text + "T00:00:00Z")
                       : common::Result<common::UnixSeconds>(common::Status::InvalidArgument(""));
  if (!parsed.ok()) {
    return common::Status::InvalidArgument(std::string(name) + ": a date as YYYY-MM-DD, not '" +
                                           text + "'");
  }
  return common::FormatRfc3339(*parsed + days_after * common::kDay);
}

common::Result<DoraArguments> ReadDoraArguments(const FieldCall& call, common::UnixSeconds now) {
  using common::Status;
  if (const Value* environment = Argument(call, "environment");
      environment && environment->string != "production") {
    return Status::InvalidArgument(
        "environment: only production deployments are measured (leadline.toml's "
        "production_environments says which those are)");
  }
  DoraArguments out;
  out.year = engine::DefaultBenchmarkYear();
  if (const Value* benchmark = Argument(call, "benchmark")) {
    const std::vector<int> years = engine::BenchmarkYears();
    if (std::find(years.begin(), years.end(), benchmark->integer) == years.end()) {
      return Status::InvalidArgument("benchmark: 2023 or 2024");
    }
    out.year = static_cast<int>(benchmark->integer);
  }
  query::WindowArguments window;
  if (const Value* start = Argument(call, "startDate")) {
    LEADLINE_ASSIGN_OR_RETURN(window.since, DateArgument(start, "startDate", 0));
  }
  if (const Value* end = Argument(call, "endDate")) {
    LEADLINE_ASSIGN_OR_RETURN(window.until, DateArgument(end, "endDate", 1));
  }
  auto resolved = query::ResolveWindow(window, query::ResolvedScope(), now);
  if (!resolved.ok()) {
    return Status::InvalidArgument("startDate and endDate: " + resolved.status().message());
  }
  out.window = *resolved;
  const Value* interval = Argument(call, "interval");
  const std::string name = interval ? interval->string : "ALL";
  if (name == "ALL") {
    out.buckets.push_back(out.window);
    out.dates.emplace_back();
    return out;
  }
  const Days first_day = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(out.window.since)));
  Days start = first_day;
  if (name == "WEEKLY") {
    start = first_day - (std::chrono::weekday(first_day) - std::chrono::Monday);
  } else if (name == "MONTHLY") {
    const std::chrono::year_month_day ymd(first_day);
    start = Days(ymd.year() / ymd.month() / 1);
  }
  while (std::chrono::sys_seconds(start).time_since_epoch().count() < out.window.until) {
    Days next = start + std::chrono::days(1);
    if (name == "WEEKLY") next = start + std::chrono::days(7);
    if (name == "MONTHLY") {
      const std::chrono::year_month_day ymd(start);
      next = Days((ymd.year() / ymd.month() / 1) + std::chrono::months(1));
    }
    if (out.buckets.size() == kMaxDoraRows) {
      return Status::InvalidArgument("interval: " + name + " over these dates gives more than " +
                                     std::to_string(kMaxDoraRows) +
                                     " rows; narrow the dates or choose a longer interval");
    }
    const auto seconds = [](Days day) {
      return static_cast<common::UnixSeconds>(
          std::chrono::sys_seconds(day).time_since_epoch().count());
    };
    out.buckets.push_back(
        {std::max(out.window.since, seconds(start)), std::min(out.window.until, seconds(next))});
    out.dates.emplace_back(FormatDate(start));
    start = next;
  }
  return out;
}

std::vector<Resolved> DoraMetrics(const FieldCall& call, common::UnixSeconds now) {
  auto arguments = ReadDoraArguments(call, now);
  std::vector<Resolved> out;
  for (const ObjectHandle& parent : call.parents) {
    if (!arguments.ok()) {
      out.push_back(Resolved::Error(arguments.status().message(), kBadUserInput));
      continue;
    }
    std::vector<const engine::RepositoryFacts*> facts;
    for (const query::RepositoryView* repo : As<DoraScope>(parent).repositories) {
      facts.push_back(&repo->facts);
    }
    std::vector<Resolved> rows;
    for (std::size_t i = 0; i < arguments->buckets.size(); ++i) {
      auto metrics = engine::QueryScope(
          facts,
          engine::ScopeQuery{arguments->buckets[i], arguments->year, As<DoraScope>(parent).team});
      if (!metrics.ok()) {
        rows.clear();
        rows.push_back(Resolved::Error(metrics.status().message()));
        break;
      }
      rows.push_back(Resolved::Object(
          std::make_shared<DoraRow>(DoraRow{arguments->dates[i], std::move(*metrics)})));
    }
    out.push_back(rows.size() == 1 && rows[0].kind == Resolved::Kind::kError
                      ? std::move(rows[0])
                      : Resolved::List(std::move(rows)));
  }
  return out;
}

}  // namespace

const graphql::Schema& LeadlineSchema() {
  static const std::shared_ptr<const graphql::Schema> schema = [] {
    auto built = graphql::Schema::FromSdl(LeadlineSdl());
    if (!built.ok()) {
      // The SDL is compiled in and a test builds it: this is a broken build, not bad input.
      std::fprintf(stderr, "leadline: the compiled-in GraphQL schema is invalid: %s\n",
                   built.status().message().c_str());
      std::abort();
    }
    return *built;
  }();
  return *schema;
}

graphql::RequestOptions LeadlineRequestOptions() {
  graphql::RequestOptions options;
  options.limits.default_list_size = 1;
  options.limits.max_complexity = kMaxComplexity;
  return options;
}

LeadlineResolver::LeadlineResolver(std::shared_ptr<const query::MetricsView> view,
                                   auth::Principal principal, common::UnixSeconds now,
                                   Clock::time_point deadline, std::chrono::milliseconds budget,
                                   GraphqlSources sources)
    : view_(std::move(view)),
      principal_(std::move(principal)),
      now_(now),
      deadline_(deadline),
      budget_(budget),
      sources_(std::move(sources)) {}

std::vector<Resolved> LeadlineResolver::Resolve(const FieldCall& call) {
  const std::string& type = call.parent_type->name;
  const std::string& field = call.field.name;
  if (Clock::now() > deadline_) {
    return std::vector<Resolved>(
        call.parents.size(),
        Resolved::Error("the request ran past its deadline of " + std::to_string(budget_.count()) +
                            " ms; ask for less (smaller pages, fewer intervals)",
                        "DEADLINE_EXCEEDED"));
  }
  if (type == "Dora" && field == "metrics") return DoraMetrics(call, now_);
  std::vector<Resolved> out;
  out.reserve(call.parents.size());
  for (const ObjectHandle& parent : call.parents) {
    out.push_back([&]() -> Resolved {
      if (type == "Query") {
        if (field == "viewer") return Resolved::Object(Unowned(&principal_));
        if (field == "projects") {
          std::vector<Resolved> items;
          for (const model::Project* project : query::VisibleProjects(*view_, principal_)) {
            items.push_back(Resolved::Object(Unowned(project)));
          }
          return Resolved::List(std::move(items));
        }
        if (field == "project" || field == "repository") {
          query::ScopeArguments arguments;
          const std::string& name =
              Argument(call, field == "project" ? "name" : "fullName")->string;
          (field == "project" ? arguments.project : arguments.repo) = name;
          auto scope = query::ResolveScope(*view_, principal_, arguments);
          if (!scope.ok()) return Resolved::Error(scope.status().message(), kNotFound);
          if (field == "repository") return Resolved::Object(Unowned(scope->repositories[0]));
          const auto& projects = view_->projects;
          const auto found = std::find_if(projects.begin(), projects.end(),
                                          [&](const model::Project& p) { return p.name == name; });
          return Resolved::Object(Unowned(&*found));
        }
        if (field == "repositories") {
          auto scope = query::ResolveScope(*view_, principal_, {});
          if (!scope.ok()) return Resolved::Error(scope.status().message());
          return RepositoryPage(call, scope->repositories);
        }
        if (field == "teams") {
          std::vector<Resolved> items;
          for (const std::string* name : query::VisibleTeams(*view_, principal_)) {
            items.push_back(Resolved::Object(Unowned(name)));
          }
          return Resolved::List(std::move(items));
        }
        if (field == "deployments" || field == "dataQuality") {
          auto read = ReadScopeAndWindow(call, *view_, principal_, now_);
          if (Resolved* error = std::get_if<Resolved>(&read)) return std::move(*error);
          const ScopeAndWindow& scope = std::get<ScopeAndWindow>(read);
          if (field == "deployments") {
            const Value* failed = Argument(call, "failed");
            return ScopeDeploymentPage(
                call, query::DeploymentsNewestFirst(scope.scope.repositories, scope.window,
                                                    failed != nullptr && failed->boolean));
          }
          std::vector<Resolved> items;
          for (const query::RepositoryView* repo : scope.scope.repositories) {
            items.push_back(Resolved::Object(std::make_shared<RepositoryFindings>(
                RepositoryFindings{repo, query::FindingsOver(*repo, scope.window)})));
          }
          return Resolved::List(std::move(items));
        }
        if (field == "integrations") {
          if (!sources_.integrations) {
            return Resolved::Error("integrations: this server does not read them");
          }
          auto status = sources_.integrations(principal_);
          if (!status.ok()) return Resolved::Error(status.status().message());
          auto node = std::make_shared<IntegrationsNode>();
          node->status = std::move(*status);
          // The poll syncs every project's repositories: only for a caller of every project.
          if (node->status.every_project && sources_.reconciliation) {
            node->reconciliation = sources_.reconciliation();
          }
          return Resolved::Object(std::move(node));
        }
        if (field == "team") {
          query::ScopeArguments arguments;
          arguments.team = Argument(call, "name")->string;
          auto scope = query::ResolveScope(*view_, principal_, arguments);
          if (!scope.ok()) return Resolved::Error(scope.status().message(), kNotFound);
          return Resolved::Object(Unowned(&view_->teams.find(*arguments.team)->first));
        }
      } else if (type == "Viewer") {
        if (field == "tokenName") return String(principal_.token_name);
        if (field == "scopes") return Strings(principal_.scopes);
        if (field == "allProjects") return Boolean(principal_.projects.empty());
        if (field == "projects") {
          std::vector<Resolved> items;
          for (const model::Project* project : query::VisibleProjects(*view_, principal_)) {
            items.push_back(Resolved::Object(Unowned(project)));
          }
          return Resolved::List(std::move(items));
        }
      } else if (type == "Project") {
        const auto& project = As<model::Project>(parent);
        if (field == "name") return String(project.name);
        auto scope = query::ResolveScope(*view_, principal_, {project.name, {}, {}});
        if (!scope.ok()) return Resolved::Error(scope.status().message(), kNotFound);
        if (field == "repositories") return RepositoryPage(call, scope->repositories);
        if (field == "dora") {
          return Resolved::Object(
              std::make_shared<DoraScope>(DoraScope{scope->repositories, std::nullopt}));
        }
      } else if (type == "Team") {
        const auto& name = As<std::string>(parent);
        if (field == "name") return String(name);
        if (field == "dora") {
          auto scope = query::ResolveScope(*view_, principal_, {{}, {}, name});
          if (!scope.ok()) return Resolved::Error(scope.status().message(), kNotFound);
          return Resolved::Object(
              std::make_shared<DoraScope>(DoraScope{scope->repositories, scope->team}));
        }
      } else if (type == "Repository") {
        const auto& repo = As<query::RepositoryView>(parent);
        if (field == "fullName") return String(repo.repository.location);
        if (field == "name") return String(repo.repository.name);
        if (field == "source") return String(repo.repository.source);
        if (field == "defaultBranch") return String(repo.repository.default_branch);
        if (field == "proxy") return Boolean(repo.facts.proxy);
        if (field == "projects") {
          std::vector<std::string> names;
          for (const model::Project* project :
               query::ProjectsOf(*view_, principal_, repo.repository.id)) {
            names.push_back(project->name);
          }
          return Strings(names);
        }
        if (field == "deployments") return DeploymentPage(call, repo);
        if (field == "pullRequests") return PullRequestPage(call, repo);
        if (field == "incidents") return IncidentPage(call, repo);
        if (field == "branches") return RefPage(call, repo, model::RefKind::kBranch, "b:");
        if (field == "tags") return RefPage(call, repo, model::RefKind::kTag, "t:");
        if (field == "builds") return BuildPage(call, repo);
        if (field == "dora")
          return Resolved::Object(std::make_shared<DoraScope>(DoraScope{{&repo}, std::nullopt}));
      } else if (type.ends_with("Connection")) {
        return ConnectionField(field, parent);
      } else if (type.ends_with("Edge")) {
        const auto& edge = As<Connection::Edge>(parent);
        return field == "cursor" ? String(edge.cursor) : Resolved::Object(edge.node);
      } else if (type == "PageInfo") {
        return PageInfoField(field, As<Connection>(parent));
      } else if (type == "Deployment") {
        return DeploymentField(field, As<query::DeploymentRef>(parent));
      } else if (type == "PullRequest") {
        return PullRequestField(field, As<engine::PullRequestStages>(parent));
      } else if (type == "Branch") {
        return BranchField(field, As<RefNode>(parent));
      } else if (type == "Tag") {
        return TagField(field, *As<RefNode>(parent).ref);
      } else if (type == "Build") {
        return BuildField(field, As<model::Pipeline>(parent));
      } else if (type == "Incident") {
        return IncidentField(field, As<engine::IncidentRow>(parent));
      } else if (type == "FailureReason") {
        return FailureReasonField(field, As<engine::FailureEvidence>(parent));
      } else if (type == "DoraMetric") {
        return DoraMetricField(field, parent);
      } else if (type == "StageMedians") {
        return StageMediansField(field, As<engine::StageSummary>(parent));
      } else if (type == "DoraLevels") {
        return DoraLevelsField(field, As<engine::Levels>(parent));
      } else if (type == "RepositoryFindings") {
        const auto& node = As<RepositoryFindings>(parent);
        if (field == "repository") return Resolved::Object(Unowned(node.repo));
        std::vector<Resolved> items;
        for (const engine::Finding& finding : node.findings) {
          items.push_back(Resolved::Object(ObjectHandle(parent, &finding)));
        }
        return Resolved::List(std::move(items));
      } else if (type == "Finding") {
        return FindingField(field, As<engine::Finding>(parent));
      } else if (type == "Integrations") {
        return IntegrationsField(field, parent);
      } else if (type == "Integration") {
        return IntegrationField(field, parent);
      } else if (type == "FeedbackRefusal") {
        return FeedbackRefusalField(field, As<query::FeedbackRefusal>(parent));
      } else if (type == "IncidentTool") {
        return IncidentToolField(field, parent);
      } else if (type == "ChangeEventCounts") {
        return ChangeEventCountsField(field, As<query::ChangeEventCounts>(parent));
      } else if (type == "WebhookDelivery") {
        return WebhookDeliveryField(field, As<model::WebhookDelivery>(parent));
      } else if (type == "Reconciliation") {
        return ReconciliationField(field, As<ReconciliationState>(parent));
      }
      return Resolved::Error("no resolver for " + type + "." + field);
    }());
  }
  return out;
}

}  // namespace leadline::api
