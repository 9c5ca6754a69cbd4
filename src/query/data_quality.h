// The data-quality findings of a repository over a window (the checks of `leadline doctor`,
// engine/data_quality.h), read from the metrics view: its quality facts with the counts of
// deployments and merged pull requests narrowed to the window. GET /v1/doctor and GraphQL's
// `dataQuality` both answer with it. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "engine/data_quality.h"
#include "query/metrics_view.h"

namespace leadline::query {

// The repository's quality facts with their counts narrowed to `window`.
engine::QualityFacts QualityFactsOver(const RepositoryView& repo,
                                      const engine::ReportWindow& window);

// What the checks find in them, in the checks' order.
std::vector<engine::Finding> FindingsOver(const RepositoryView& repo,
                                          const engine::ReportWindow& window);

// A finding's severity as every API names it: "warning" or "note".
const char* SeverityName(const engine::Finding& finding);

}  // namespace leadline::query
