#include "ingest/incident_sync.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/text.h"

namespace leadline::ingest {

using common::Result;
using common::Status;

namespace {

// Reads what the fields (and related change events) of the page's new counting incidents, and of
// those the tool changed since they were stored, name of their cause
// (IncidentConnector::ReadReferences); an incident listed as stored keeps what its fields or a
// change event named before, so an incremental sync that reads the same
// incidents again costs no request per incident. (A field set later is read when the tool next
// changes the incident: acknowledged, resolved, another severity.)
// `reads` is asked of the tool once per sync, at the first page that needs it; what the tool
// turns off on the way is noted once in `notes`.
Status ReadChangedReferences(store::Store& store, http::HttpClient& client,
                             const sources::IncidentConnector& connector,
                             const sources::ConnectionSettings& settings,
                             const std::vector<std::string>& counts,
                             std::optional<sources::IncidentConnector::ReferenceReads>& reads,
                             std::vector<std::string>& notes,
                             std::vector<model::Incident>& incidents) {
  if ((reads && !reads->any()) || incidents.empty()) return Status::Ok();
  std::vector<model::Incident> changed;
  std::vector<std::size_t> changed_at;
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    model::Incident& incident = incidents[i];
    // Only an incident that counts can fail a deployment: the others are not worth a request.
    const bool counts_here = std::any_of(counts.begin(), counts.end(), [&](const std::string& c) {
      return c == "*" || common::EqualsIgnoringCase(c, incident.severity);
    });
    if (!counts_here) continue;
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::Incident> stored,
                              store.incidents().FindIncident(incident.source, incident.id));
    if (stored) {
      model::Incident as_stored = incident;
      // What a change event named stands only while the incident itself names nothing.
      if (as_stored.deployment.empty() && as_stored.commit.empty()) {
        as_stored.named_by = stored->named_by;
      }
      if (as_stored.deployment.empty()) as_stored.deployment = stored->deployment;
      if (as_stored.commit.empty()) as_stored.commit = stored->commit;
      if (as_stored == *stored) {
        incident = std::move(as_stored);
        continue;
      }
    }
    changed.push_back(incident);
    changed_at.push_back(i);
  }
  if (changed.empty()) return Status::Ok();
  if (!reads) {
    LEADLINE_ASSIGN_OR_RETURN(reads, connector.ReferenceSources(client, settings));
    if (!reads->any()) return Status::Ok();
  }
  const Status read = connector.ReadReferences(client, settings, *reads, changed);
  if (!reads->note.empty()) notes.push_back(std::exchange(reads->note, std::string()));
  LEADLINE_RETURN_IF_ERROR(read);
  for (std::size_t k = 0; k < changed.size(); ++k) incidents[changed_at[k]] = std::move(changed[k]);
  return Status::Ok();
}

}  // namespace

Result<IncidentSyncCounts> SyncIncidents(store::Store& store, http::HttpClient& client,
                                         const sources::IncidentConnector& connector,
                                         const sources::ConnectionSettings& settings,
                                         const IncidentSyncRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::IncidentConnectionState> state,
                            store.incidents().LoadIncidentConnection(request.connection_id));
  if (!state) {
    return Status::FailedPrecondition("the incident connection " +
                                      std::to_string(request.connection_id) +
                                      " has no stored settings; connect it again");
  }
  IncidentSyncCounts counts;
  std::optional<sources::IncidentConnector::ReferenceReads> reference_reads;
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
    LEADLINE_RETURN_IF_ERROR(ReadChangedReferences(store, client, connector, settings,
                                                   state->counts, reference_reads, counts.notes,
                                                   page.incidents));

    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed,
                              store.incidents().UpsertIncidents(page.incidents));
    LEADLINE_RETURN_IF_ERROR(
        store.incidents().SaveIncidentCursor(request.connection_id, page.cursor));
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
