// Incidents as an incident tool (or a person) reports them: what broke, how badly, when, and
// optionally which repository, deployment or commit caused it. No I/O; values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"

namespace leadline::model {

inline constexpr char kNamedByChangeEvent[] = "change_event";

struct Incident {
  std::string id;        // the reporting tool's id; unique within its source
  std::string source;    // "import" (a file), "api" (pushed), "pagerduty": with `id`, the key
  std::string service;   // the service it was raised on; mapped to repositories by settings
  std::string severity;  // as the tool names it: "P1", "SEV2", "critical"
  std::string title;
  common::UnixSeconds started_at = 0;
  std::optional<common::UnixSeconds> acknowledged_at{};  // first acknowledgement, when known
  std::optional<common::UnixSeconds> resolved_at;        // empty while open
  std::string link{};  // where people read it (the tool's page); '' when not given
  // The connection that read it from its tool; 0 for incidents imported or pushed.
  std::int64_t connection_id = 0;
  // Optional links the reporter knows: a repository ("acme/api"), the deployment that caused it
  // (its ref, release name or id) and the commit (full or abbreviated hash).
  std::string repository;
  std::string deployment;
  std::string commit;
  // Where `deployment` and `commit` were read: "" from the incident itself (what the reporter
  // gave, the tool's fields or text), kNamedByChangeEvent from a change event the tool relates
  // to the incident (PagerDuty's related change events), read only when the incident names
  // neither.
  std::string named_by{};

  bool operator==(const Incident&) const = default;
};

}  // namespace leadline::model
