// The resumable walk of an incident connection's incidents (a backfill, or the incremental sync
// that follows it): page by page through its IncidentConnector, each page's incidents committed
// with the page's cursor in one transaction, so that a walk cut anywhere (a kill, an error)
// resumes at the page it stopped at, with nothing duplicated or lost. An incident read again is
// updated in place (keyed by source and id), never stored twice. Single-threaded per store.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "sources/contract/incident_connector.h"
#include "store/store.h"

namespace leadline::ingest {

// A walk longer than this many pages is not followed (PagerDuty: a million incidents).
inline constexpr std::int64_t kMaxIncidentPages = 10000;

struct IncidentSyncCounts {
  std::int64_t pages = 0;
  std::int64_t read = 0;     // incidents read, tests not counted
  std::int64_t changed = 0;  // new, or different from what was stored
  std::int64_t tests_left_out = 0;
  bool resumed = false;  // the walk went on from a cursor a cut walk left
  // What the sync tells people once (a tool that refused change events: incidents fall back to
  // the window).
  std::vector<std::string> notes;
};

struct IncidentSyncRequest {
  std::int64_t connection_id = 0;
  // A new walk covers the incidents started from `since` to `now`; a cut one goes on as it was.
  common::UnixSeconds since = 0;
  common::UnixSeconds now = 0;
  // Told after each committed page; may be empty.
  std::function<void(const IncidentSyncCounts&)> after_page;
};

// The connection's counts must have been stored (by connect). Errors say which page failed.
common::Result<IncidentSyncCounts> SyncIncidents(store::Store& store, http::HttpClient& client,
                                                 const sources::IncidentConnector& connector,
                                                 const sources::ConnectionSettings& settings,
                                                 const IncidentSyncRequest& request);

}  // namespace leadline::ingest
