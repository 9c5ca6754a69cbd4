#include "sources/incidents/incident_json.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "common/time.h"

namespace leadline::sources {
namespace {

using nlohmann::json;

constexpr const char* kFields[] = {"id",          "service",    "severity",   "title", "started_at",
                                   "resolved_at", "repository", "deployment", "commit"};

class IncidentReader {
 public:
  IncidentReader(const json& value, std::string where, std::vector<FieldError>& errors)
      : value_(value), where_(std::move(where)), errors_(errors) {}

  void Fail(const std::string& field, const std::string& message) {
    errors_.push_back({where_.empty() ? field : where_ + "." + field, message});
  }

  // A string field; required ones must be present and non-empty.
  std::string Text(const char* field, bool required) {
    const auto it = value_.find(field);
    if (it == value_.end() || it->is_null()) {
      if (required) Fail(field, "is required");
      return {};
    }
    if (!it->is_string()) {
      Fail(field, "must be a string");
      return {};
    }
    std::string text = it->get<std::string>();
    if (required && text.empty()) Fail(field, "must not be empty");
    return text;
  }

  std::optional<common::UnixSeconds> Time(const char* field, bool required) {
    const std::string text = Text(field, required);
    if (text.empty()) return std::nullopt;
    const common::Result<common::UnixSeconds> t = common::ParseRfc3339(text);
    if (!t.ok()) {
      Fail(field, "must be an RFC 3339 time such as 2024-03-05T10:40:00Z, not '" + text + "'");
      return std::nullopt;
    }
    return *t;
  }

  void RejectUnknownFields() {
    for (const auto& [key, unused] : value_.items()) {
      if (std::find(std::begin(kFields), std::end(kFields), key) == std::end(kFields)) {
        Fail(key,
             "is not a field of an incident (known: id, service, severity, title, "
             "started_at, resolved_at, repository, deployment, commit)");
      }
    }
  }

 private:
  const json& value_;
  std::string where_;
  std::vector<FieldError>& errors_;
};

bool IsHex(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isxdigit(c) != 0; });
}

void ReadOne(const json& value, const std::string& where, const std::string& source,
             ParsedIncidents& out) {
  if (!value.is_object()) {
    out.errors.push_back({where, "must be an object"});
    return;
  }
  IncidentReader reader(value, where, out.errors);
  model::Incident incident;
  incident.source = source;
  incident.id = reader.Text("id", true);
  incident.service = reader.Text("service", false);
  incident.severity = reader.Text("severity", true);
  incident.title = reader.Text("title", false);
  const std::optional<common::UnixSeconds> started = reader.Time("started_at", true);
  incident.resolved_at = reader.Time("resolved_at", false);
  incident.repository = reader.Text("repository", false);
  incident.deployment = reader.Text("deployment", false);
  incident.commit = common::AsciiLower(reader.Text("commit", false));
  reader.RejectUnknownFields();
  if (incident.service.empty() && incident.repository.empty() && value.contains("id")) {
    reader.Fail("service", "is required when no repository is named");
  }
  if (!incident.commit.empty() &&
      (incident.commit.size() < 7 || incident.commit.size() > 40 || !IsHex(incident.commit))) {
    reader.Fail("commit", "must be a commit hash of 7 to 40 hex digits");
  }
  if (started) {
    incident.started_at = *started;
    if (incident.resolved_at && *incident.resolved_at < *started) {
      reader.Fail("resolved_at", "is before started_at");
    }
  }
  out.incidents.push_back(std::move(incident));
}

}  // namespace

ParsedIncidents ReadIncidents(std::string_view text, const std::string& source) {
  ParsedIncidents out;
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    out.errors.push_back({"", "is not valid JSON"});
    return out;
  }
  if (document.is_object() && document.contains("incidents")) {
    const json& list = document["incidents"];
    if (!list.is_array()) {
      out.errors.push_back({"incidents", "must be an array"});
      return out;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      ReadOne(list[i], "incidents[" + std::to_string(i) + "]", source, out);
    }
  } else if (document.is_array()) {
    for (std::size_t i = 0; i < document.size(); ++i) {
      ReadOne(document[i], "[" + std::to_string(i) + "]", source, out);
    }
  } else {
    ReadOne(document, "", source, out);
  }
  std::vector<std::string> ids;
  for (const model::Incident& incident : out.incidents) ids.push_back(incident.id);
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (!ids[i].empty() && ids[i] == ids[i - 1] && (i + 1 == ids.size() || ids[i + 1] != ids[i])) {
      out.errors.push_back({"", "the id '" + ids[i] + "' is given more than once"});
    }
  }
  return out;
}

common::Result<std::vector<model::Incident>> ParseIncidents(std::string_view json,
                                                            const std::string& source) {
  ParsedIncidents parsed = ReadIncidents(json, source);
  if (parsed.errors.empty()) return std::move(parsed.incidents);
  std::string message;
  for (const FieldError& error : parsed.errors) {
    message += (message.empty() ? "" : "\n") +
               (error.field.empty() ? "the document" : error.field) + ": " + error.message;
  }
  return common::Status::InvalidArgument(message);
}

}  // namespace leadline::sources
