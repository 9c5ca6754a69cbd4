#include "sources/pagerduty/related_change_events.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sources/contract/incident_references.h"

namespace leadline::sources::pagerduty {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

// What one event names, and when it happened.
struct Candidate {
  common::UnixSeconds at = 0;
  std::string deployment;
  std::string commit;
};

std::string TextAt(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An event Leadline sent: its deployment's key and commit, read exactly.
std::optional<Candidate> SentByLeadline(const json& details) {
  const std::string deployment = TextAt(details, "leadline_deployment");
  if (deployment.empty()) return std::nullopt;
  Candidate candidate;
  if (TextAt(details, "status") == "failed") return candidate;  // names nothing that stayed
  candidate.deployment = deployment;
  model::Incident scratch;
  ReadIncidentReference("commit", TextAt(details, "commit"), scratch);
  candidate.commit = scratch.commit;
  return candidate;
}

// An event of another tool: what the reference reader finds in it.
Candidate NamedByOtherTool(const json& event) {
  model::Incident scratch;
  if (const auto links = event.find("links"); links != event.end() && links->is_array()) {
    for (const json& link : *links) {
      if (!link.is_object()) continue;
      ReadIncidentReference("link", TextAt(link, "href"), scratch);
      ReadIncidentReference("link", TextAt(link, "text"), scratch);
    }
  }
  ReadIncidentReference("summary", TextAt(event, "summary"), scratch);
  if (const auto details = event.find("custom_details");
      details != event.end() && details->is_object()) {
    for (const auto& [name, value] : details->items()) {
      if (value.is_string()) ReadIncidentReference(name, value.get<std::string>(), scratch);
    }
  }
  return {0, std::move(scratch.deployment), std::move(scratch.commit)};
}

bool NamesSomething(const Candidate& candidate) {
  return !candidate.deployment.empty() || !candidate.commit.empty();
}

// The newer of `best` and `next`; the earlier listed on a tie.
void KeepNewest(std::optional<Candidate>& best, Candidate next) {
  if (!best || next.at > best->at) best = std::move(next);
}

}  // namespace

Result<bool> ReadRelatedChangeEvents(const json& body, model::Incident& incident) {
  if (!body.is_object()) return Status::InvalidArgument("expected a JSON object");
  const auto events = body.find("change_events");
  if (events == body.end() || !events->is_array()) {
    return Status::InvalidArgument("field 'change_events': expected a list of change events");
  }
  std::optional<Candidate> leadline, other;
  for (std::size_t i = 0; i < events->size(); ++i) {
    const json& event = (*events)[i];
    if (!event.is_object()) {
      return Status::InvalidArgument("field 'change_events[" + std::to_string(i) +
                                     "]': expected an object");
    }
    const auto at = common::ParseRfc3339(TextAt(event, "timestamp"));
    if (!at.ok() || *at > incident.started_at) continue;
    const auto details = event.find("custom_details");
    const bool has_details = details != event.end() && details->is_object();
    if (std::optional<Candidate> sent = has_details ? SentByLeadline(*details) : std::nullopt) {
      sent->at = *at;
      if (NamesSomething(*sent)) KeepNewest(leadline, std::move(*sent));
      continue;
    }
    Candidate named = NamedByOtherTool(event);
    named.at = *at;
    if (NamesSomething(named)) KeepNewest(other, std::move(named));
  }
  std::optional<Candidate>& chosen = leadline ? leadline : other;
  if (!chosen || !incident.deployment.empty() || !incident.commit.empty()) return false;
  incident.deployment = std::move(chosen->deployment);
  incident.commit = std::move(chosen->commit);
  incident.named_by = model::kNamedByChangeEvent;
  return true;
}

}  // namespace leadline::sources::pagerduty
