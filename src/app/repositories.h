// The composition behind `leadline repos list|select|deselect`: lists the repositories each
// stored connection can see (fetched from Bitbucket and kept in the store), and marks which ones
// are selected for sync by shell-style patterns on "workspace/slug" or "PROJECT/slug".
// Single-threaded; owns what it opens.
#pragma once

#include <string>
#include <vector>

#include "config/paths.h"
#include "http/http_client.h"
#include "model/repository.h"
#include "store/store.h"

namespace leadline::app {

// Fetches every connection's repositories into the store; returns all connected repositories
// with their selection. Those a connection no longer lists stay, marked not visible.
common::Result<std::vector<model::Repository>> RefreshRepositories(const config::Paths& paths,
                                                                   http::HttpClient& client);

// The stored connected repositories (no network).
common::Result<std::vector<model::Repository>> StoredRepositories(const config::Paths& paths);

// The selected repositories whose location matches `pattern` (fnmatch; empty: every selected
// one); NotFound, saying what to do, when there is none.
common::Result<std::vector<model::Repository>> SelectedRepositories(store::Store& store,
                                                                    const std::string& pattern);

// Selects (or deselects) the repositories whose location matches any of `patterns` (fnmatch:
// "acme/*", "PROJ/api-?"). Fails, changing nothing, when a pattern matches no repository.
// Returns the repositories whose selection changed.
common::Result<std::vector<model::Repository>> SetSelection(
    const config::Paths& paths, const std::vector<std::string>& patterns, bool selected);

}  // namespace leadline::app
