// The composition behind `leadline sync`: backfills the selected repositories of every stored
// connection, each resumable and incremental (see ingest/bitbucket_pull_requests.h). A failure in
// one repository is reported and the others still sync. Single-threaded; owns what it opens.
#pragma once

#include <string>
#include <vector>

#include "http/http_client.h"
#include "ingest/bitbucket_pull_requests.h"

namespace leadline::app {

struct RepositorySync {
  std::string location;  // "acme/api"
  common::Status status;
  ingest::PullRequestSyncResult pull_requests;
};

// Syncs the selected repositories whose location matches `pattern` (fnmatch; empty: all).
// Fails before syncing anything when no selected repository matches.
common::Result<std::vector<RepositorySync>> SyncSelected(const std::string& db_path,
                                                         http::HttpClient& client,
                                                         const std::string& pattern);

}  // namespace leadline::app
