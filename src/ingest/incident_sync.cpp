#include "ingest/incident_sync.h"

namespace leadline::ingest {

using common::Result;
using common::Status;

Result<IncidentSyncCounts> SyncIncidents(store::Store& store, http::HttpClient& client,
                                         const sources::IncidentConnector& connector,
                                         const sources::ConnectionSettings& settings,
                                         const IncidentSyncRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::IncidentConnectionState> state,
                            store.LoadIncidentConnection(request.connection_id));
  if (!state) {
    return Status::FailedPrecondition("the incident connection " +
                                      std::to_string(request.connection_id) +
                                      " has no stored settings; connect it again");
  }
  IncidentSyncCounts counts;
  std::string cursor = state->cursor;
  counts.resumed = connector.InsideWalk(cursor);
  if (!counts.resumed) cursor = connector.StartWalk(request.since, request.now);
  while (counts.pages < kMaxIncidentPages) {
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpRequest http_request,
                              connector.RequestAt(settings, cursor));
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(http_request));
    if (!response.ok()) return connector.Diagnose(response, http_request.url);
    LEADLINE_ASSIGN_OR_RETURN(sources::IncidentPage page,
                              connector.Read(settings, response, cursor));
    for (model::Incident& incident : page.incidents) incident.connection_id = request.connection_id;

    store::Transaction transaction(store);
    LEADLINE_RETURN_IF_ERROR(transaction.Begin());
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed, store.UpsertIncidents(page.incidents));
    LEADLINE_RETURN_IF_ERROR(store.SaveIncidentCursor(request.connection_id, page.cursor));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());

    ++counts.pages;
    counts.read += static_cast<std::int64_t>(page.incidents.size());
    counts.changed += changed;
    counts.tests_left_out += static_cast<std::int64_t>(page.tests_left_out);
    if (request.after_page) request.after_page(counts);
    if (!connector.InsideWalk(page.cursor)) return counts;
    cursor = std::move(page.cursor);
  }
  return Status::InvalidArgument("the incident walk went on for more than " +
                                 std::to_string(kMaxIncidentPages) +
                                 " pages; it stopped there and resumes on the next sync");
}

}  // namespace leadline::ingest
