// Leadline's GraphQL schema (leadline.graphql) and the resolvers that answer it for one caller
// from one metrics view (query/metrics_view.h), the same view and the same query functions the
// REST API answers from. Every field, list, count, cursor and error is computed within what the
// caller's token may see (query/scope.h): a project or repository it may not see is null with
// the NOT_FOUND error of one that does not exist. The executor asks each field once per level for
// all its parents, and everything is read from the view in memory, but for `integrations`: one
// store read (GraphqlSources) per request that asks for it.
//
// Lists are Relay connections with opaque keyset cursors (a repository's full name; a
// deployment's, pull request's or incident's time and position in its repository's list, and for
// the deployments of a scope, the repository's full name too), `first` between 1 and 100. The
// lists are those of query/ (deployments.h, pull_requests.h, incidents.h), which the REST API
// gives too.
//
// A request has a deadline: a field asked for after it is an error (DEADLINE_EXCEEDED), so a
// request stops within one level of the query past it. One resolver per request; not
// thread-safe. LeadlineSchema() is thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "api/api_context.h"
#include "api/graphql/request.h"
#include "api/graphql/resolver.h"
#include "auth/api_tokens.h"
#include "common/time.h"
#include "query/integrations.h"
#include "query/metrics_view.h"

namespace leadline::api {

// What the resolver reads beside the metrics view. A field whose source is missing answers an
// error saying so.
struct GraphqlSources {
  // `integrations`: the connections' status for the caller, read from the store.
  std::function<common::Result<query::IntegrationStatus>(const auth::Principal&)> integrations;
  // `integrations.reconciliation`: the server's poll.
  std::function<ReconciliationState()> reconciliation;
};

// The compiled-in schema, built once.
const graphql::Schema& LeadlineSchema();

// The engine's limits (docs/graphql.md) for Leadline's schema: a list without `first` counts as
// one item, since its length is bounded already (a connection's edges and nodes by its `first`,
// failure reasons by the evidence, metric rows by kMaxDoraRows); the complexity budget is
// kMaxComplexity, so that a portal's query (100 repositories, each with 10 deployments, their
// failure reasons and the DORA metrics: about 12,000) fits.
graphql::RequestOptions LeadlineRequestOptions();

inline constexpr int kMaxConnectionPage = 100;
inline constexpr std::int64_t kMaxComplexity = 25'000;
// The most rows Dora.metrics gives (DAILY over 1000 days is refused: ask WEEKLY or MONTHLY).
inline constexpr int kMaxDoraRows = 1000;

class LeadlineResolver final : public graphql::Resolver {
 public:
  using Clock = std::chrono::steady_clock;
  LeadlineResolver(std::shared_ptr<const query::MetricsView> view, auth::Principal principal,
                   common::UnixSeconds now, Clock::time_point deadline,
                   std::chrono::milliseconds budget, GraphqlSources sources = {});

  std::vector<graphql::Resolved> Resolve(const graphql::FieldCall& call) override;

 private:
  std::shared_ptr<const query::MetricsView> view_;
  auth::Principal principal_;
  common::UnixSeconds now_;
  Clock::time_point deadline_;
  std::chrono::milliseconds budget_;
  GraphqlSources sources_;
};

}  // namespace leadline::api
