#include "sources/push/incident_json.h"

#include "sources/push/field_reader.h"

namespace leadline::sources {
namespace {

using nlohmann::json;

void ReadIncident(const json& value, const std::string& where, const std::string& source,
                  ParsedIncidents& out) {
  FieldReader reader(value, where,
                     {"id", "service", "severity", "title", "started_at", "resolved_at",
                      "repository", "deployment", "commit", "acknowledged_at", "link"},
                     out.errors);
  model::Incident incident;
  incident.source = source;
  incident.id = reader.Text("id", true);
  incident.service = reader.Text("service", false);
  incident.severity = reader.Text("severity", true);
  incident.title = reader.Text("title", false, kMaxTitleBytes);
  const std::optional<common::UnixSeconds> started = reader.Time("started_at", true);
  incident.resolved_at = reader.Time("resolved_at", false);
  incident.acknowledged_at = reader.Time("acknowledged_at", false);
  incident.repository = reader.Text("repository", false);
  incident.deployment = reader.Text("deployment", false);
  reader.RejectUnknownFields();
  if (incident.service.empty() && incident.repository.empty() && reader.Has("id")) {
    reader.Fail("service", "is required when no repository is named");
  }
  incident.commit = reader.Commit("commit", false);
  incident.link = reader.Text("link", false, kMaxTitleBytes);
  if (!incident.link.empty() && !incident.link.starts_with("https://") &&
      !incident.link.starts_with("http://")) {
    reader.Fail("link", "must be an http or https URL");
  }
  if (started) {
    incident.started_at = *started;
    if (incident.resolved_at && *incident.resolved_at < *started) {
      reader.Fail("resolved_at", "is before started_at");
    }
    if (incident.acknowledged_at && *incident.acknowledged_at < *started) {
      reader.Fail("acknowledged_at", "is before started_at");
    }
  }
  out.incidents.push_back(std::move(incident));
}

}  // namespace

ParsedIncidents ReadIncidents(std::string_view text, const std::string& source,
                              std::size_t max_items) {
  ParsedIncidents out;
  ForEachObject(text, "incidents", max_items, out.errors,
                [&](const json& value, const std::string& where) {
                  ReadIncident(value, where, source, out);
                });
  std::vector<std::string> ids;
  for (const model::Incident& incident : out.incidents) ids.push_back(incident.id);
  RejectDuplicateIds(std::move(ids), out.errors);
  return out;
}

common::Result<std::vector<model::Incident>> ParseIncidents(std::string_view json,
                                                            const std::string& source,
                                                            std::size_t max_items) {
  ParsedIncidents parsed = ReadIncidents(json, source, max_items);
  if (parsed.errors.empty()) return std::move(parsed.incidents);
  return common::Status::InvalidArgument(DescribeErrors(parsed.errors));
}

}  // namespace leadline::sources
