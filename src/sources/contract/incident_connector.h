// The contract an incident tool implements (PagerDuty, incident.io; Jira Service Management
// and Opsgenie): what ingest, the CLI and the server may ask of a tool without naming it.
// Like Connector, a stateless object that serves every connection of its provider from any
// thread: each call gets the connection's settings and an HTTP client.
//
// Incidents arrive as one walk over the tool's listing, page by page (ingest/incident_sync.h
// runs it): the feed names the page its cursor stands at, reads each answer into incidents, and
// ingest commits them with the page's cursor in one transaction, so that a backfill cut anywhere
// resumes where it stopped, with nothing duplicated or lost.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "model/incident.h"
#include "model/incident_service.h"
#include "model/provider.h"
#include "sources/contract/connection_settings.h"
#include "sources/contract/connector.h"

namespace leadline::sources {

// One page of the incident walk as the feed read it.
struct IncidentPage {
  // Source, id, service, severity, times, title and link filled; test incidents left out.
  std::vector<model::Incident> incidents;
  std::size_t tests_left_out = 0;
  // Saved with the incidents: the walk's next page, or, when this page ends the walk, a cursor
  // that InsideWalk says is not inside one.
  std::string cursor;
};

class IncidentConnector {
 public:
  virtual ~IncidentConnector() = default;

  virtual model::Provider provider() const = 0;
  // The source stored incidents are keyed by, with their ids ("pagerduty").
  virtual const char* source() const = 0;

  // Checks the key: who it belongs to, what it may read, how many services it sees
  // (CheckReport::repositories counts services). Errors say what to fix.
  virtual common::Result<CheckReport> Check(http::HttpClient& client,
                                            const ConnectionSettings& settings) const = 0;
  // Every service the key sees, with id and name.
  virtual common::Result<std::vector<model::IncidentService>> ListServices(
      http::HttpClient& client, const ConnectionSettings& settings) const = 0;
  // The severities that count when the person connecting names none (PagerDuty: P1 and P2, or
  // high urgency where the account has no priorities).
  virtual common::Result<std::vector<std::string>> DefaultCounts(
      http::HttpClient& client, const ConnectionSettings& settings) const = 0;

  // The cursor of a new walk over the incidents started from `since` to `now`.
  virtual std::string StartWalk(common::UnixSeconds since, common::UnixSeconds now) const = 0;
  // Whether `cursor` stands inside a walk (a backfill cut short), rather than after one.
  virtual bool InsideWalk(const std::string& cursor) const = 0;
  // Where the walk that `cursor` ended stopped (its `now`); nullopt for any other cursor.
  virtual std::optional<common::UnixSeconds> WalkEnd(const std::string& cursor) const = 0;
  // The request for the page `cursor` stands at; an error for a cursor this version cannot read.
  virtual common::Result<http::HttpRequest> RequestAt(const ConnectionSettings& settings,
                                                      const std::string& cursor) const = 0;
  // Reads the answer (a 2xx; other answers go to Diagnose) to the request made at `cursor`.
  virtual common::Result<IncidentPage> Read(const ConnectionSettings& settings,
                                            const http::HttpResponse& response,
                                            const std::string& cursor) const = 0;
  // What the tool keeps, behind a request per incident, that may name the change that caused
  // it. Asked once per sync (ReferenceSources), and ReadReferences only when something is.
  struct ReferenceReads {
    // Fields of the incident (PagerDuty: a custom field named like "Deployment" or "Commit"
    // is defined).
    bool fields = false;
    // Changes the tool relates to the incident (PagerDuty's related change events), read for an
    // incident that names neither a deployment nor a commit itself.
    bool change_events = false;
    // Set by ReadReferences when the tool refused a kind for this connection (turned off for
    // the rest of the sync): what to tell people, once per sync. Ingest takes it.
    std::string note;
    bool any() const { return fields || change_events; }
  };
  // The default: the tool's listing says all it knows.
  virtual common::Result<ReferenceReads> ReferenceSources(
      http::HttpClient& client, const ConnectionSettings& settings) const {
    (void)client, (void)settings;
    return ReferenceReads{};
  }
  // Fills, for each of `incidents` (ingest passes the counting ones that need it), what those
  // fields and changes name, through sources/contract/incident_references.h. May turn a kind of
  // `reads` off, saying why in its note.
  virtual common::Status ReadReferences(http::HttpClient& client,
                                        const ConnectionSettings& settings, ReferenceReads& reads,
                                        std::vector<model::Incident>& incidents) const {
    (void)client, (void)settings, (void)reads, (void)incidents;
    return common::Status::Ok();
  }
  // The error for an answer that is not 2xx, saying what to fix.
  virtual common::Status Diagnose(const http::HttpResponse& response,
                                  const std::string& url) const = 0;
};

}  // namespace leadline::sources
