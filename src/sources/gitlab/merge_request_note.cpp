#include "sources/gitlab/merge_request_note.h"

#include <nlohmann/json.hpp>

#include "engine/pr_feedback.h"
#include "http/pager.h"
#include "sources/gitlab/gitlab_http.h"

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

std::string NotesUrl(const ConnectionSettings& settings, const NoteTarget& target) {
  return settings.url + "/api/v4/projects/" + http::EncodeQueryValue(target.project) +
         "/merge_requests/" + std::to_string(target.iid) + "/notes";
}

Status PostError(const http::HttpResponse& response, const std::string& url) {
  Status error = http::HttpError(response, url);
  if (response.status != 403) return error;
  return Status::PermissionDenied(error.message() +
                                  ". Posting feedback needs a token with the api scope");
}

Result<std::int64_t> NoteId(const http::HttpResponse& response, const std::string& url) {
  LEADLINE_ASSIGN_OR_RETURN(const json note, JsonOf(response, url));
  if (!note.is_object() || !note.contains("id") || !note["id"].is_number_integer()) {
    return Status::FailedPrecondition("GitLab's answer at " + http::RedactUrl(url) +
                                      " names no note id");
  }
  return note["id"].get<std::int64_t>();
}

Result<std::optional<std::int64_t>> FindNote(http::HttpClient& client,
                                             const ConnectionSettings& settings,
                                             const NoteTarget& target) {
  std::optional<std::int64_t> found;
  int pages = 0;
  LEADLINE_RETURN_IF_ERROR(ForEachPage(
      client, settings, NotesUrl(settings, target) + "?per_page=100&sort=asc&order_by=created_at",
      "notes", [&](const json& page) -> Result<bool> {
        for (const json& note : page) {
          if (!note.is_object() || note.value("system", false) ||
              !note.value("body", "").starts_with(engine::kFeedbackMarker) ||
              !note.contains("id") || !note["id"].is_number_integer()) {
            continue;
          }
          found = note["id"].get<std::int64_t>();
          return false;
        }
        return ++pages < kMostNotePages;
      }));
  return found;
}

// PUTs the new body over note `id`: nullopt when the note is gone (404).
Result<std::optional<std::int64_t>> EditNote(http::HttpClient& client,
                                             const ConnectionSettings& settings,
                                             const NoteTarget& target, const std::string& markdown,
                                             std::int64_t id) {
  const std::string url = NotesUrl(settings, target) + "/" + std::to_string(id);
  LEADLINE_ASSIGN_OR_RETURN(
      const http::HttpResponse response,
      client.Send(ApiRequest(settings, "PUT", url, json{{"body", markdown}}.dump())));
  if (response.status == 404) return std::optional<std::int64_t>();
  if (!response.ok()) return PostError(response, url);
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t edited, NoteId(response, url));
  return std::optional<std::int64_t>(edited);
}

}  // namespace

Result<std::int64_t> UpsertNote(http::HttpClient& client, const ConnectionSettings& settings,
                                const NoteTarget& target, const std::string& markdown,
                                std::optional<std::int64_t> known) {
  if (!markdown.starts_with(engine::kFeedbackMarker)) {
    return Status::InvalidArgument("feedback notes carry the marker first");
  }
  // A plain id and a flag, rather than the optional, keep GCC's maybe-uninitialized quiet.
  bool have = known.has_value();
  std::int64_t id = known.value_or(0);
  for (int round = 0; round < 2; ++round) {
    if (!have) {
      LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> found,
                                FindNote(client, settings, target));
      if (!found) break;
      have = true;
      id = *found;
    }
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> edited,
                              EditNote(client, settings, target, markdown, id));
    if (edited) return *edited;
    have = false;  // deleted on the host since: look again, once
  }
  const std::string url = NotesUrl(settings, target);
  LEADLINE_ASSIGN_OR_RETURN(
      const http::HttpResponse response,
      client.Send(ApiRequest(settings, "POST", url, json{{"body", markdown}}.dump())));
  if (!response.ok()) return PostError(response, url);
  return NoteId(response, url);
}

}  // namespace leadline::sources::gitlab
