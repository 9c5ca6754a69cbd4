// Parsers of Jira Service Management answers (reference: connectors-2.md, "Opsgenie and Jira
// Service Management"): incidents are Jira work items read with the enhanced search
// (`GET /rest/api/3/search/jql`, `nextPageToken` paging, `expand=names`), priorities
// (`GET /rest/api/3/priority/search`), the account (`/rest/api/3/myself`), the site's cloud id
// (`/_edge/tenant_info`) and the Operations API's schedules (`{"values", "links": {"next"}}`).
// Pure functions over JSON; errors name the field. Thread-safe.
//
// A work item is read as:
//  - id: its numeric id (a key changes when the item moves project); link: <site>/browse/<key>;
//  - service: the first value of its "Affected services" field (the field whose name, from the
//    answer's `names`, holds "service", without case): the service's id; "" when it has none
//    (it then counts nowhere);
//  - severity: its priority's name ("P1", "Highest"); "" when it has none;
//  - started: created; resolved: resolutiondate (else updated), and only while its status is in
//    the done category: re-opening a work item moves it out of done, and it is open again;
//  - left out: a test incident, labelled "test" or titled "[TEST] ..." / "test: ...";
//  - the change that caused it: what its text fields name (a "Deployment" or "Commit" field, a
//    commit link in the summary or any text field; sources/contract/incident_references.h).
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/incident.h"
#include "model/incident_service.h"

namespace leadline::sources::jsm {

inline constexpr char kSource[] = "jsm";

// Jira's times: "2025-06-01T10:00:00.000+0000" (an offset without a colon), or RFC 3339.
common::Result<common::UnixSeconds> ParseJiraTime(std::string_view text);

struct ParsedSearch {
  std::vector<model::Incident> incidents;  // in the listing's order, left-out ones removed
  std::size_t left_out = 0;
  // The services the page's work items name (left-out ones too), each once, as first named.
  std::vector<model::IncidentService> services;
  std::string next_page_token;  // "" on the last page
};
// A page of `GET /rest/api/3/search/jql` on `site` (for links).
common::Result<ParsedSearch> ParseSearchPage(const nlohmann::json& page, const std::string& site);

struct ParsedPriorities {
  std::vector<std::string> names;  // in the scheme's order, most severe first
  bool last = true;
};
// A page of `GET /rest/api/3/priority/search`.
common::Result<ParsedPriorities> ParsePriorityPage(const nlohmann::json& page);

// `/_edge/tenant_info`'s cloudId.
common::Result<std::string> ParseCloudId(const nlohmann::json& body);
// `/rest/api/3/myself`: "Display Name <e-mail>" (the e-mail only when the profile shows it).
common::Result<std::string> ParseMyself(const nlohmann::json& body);

struct ParsedSchedules {
  std::vector<std::string> team_ids;  // the schedules' owner teams, each once
  std::size_t schedules = 0;
  std::string next;  // links.next: the next page's URL; "" on the last
};
// A page of the Operations API's `GET /v1/schedules`.
common::Result<ParsedSchedules> ParseSchedulePage(const nlohmann::json& page);

}  // namespace leadline::sources::jsm
