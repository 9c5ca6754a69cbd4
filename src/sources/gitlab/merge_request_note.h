// Posting Leadline's feedback (engine/pr_feedback.h) on a GitLab merge request as one note,
// found by its hidden marker and edited in place, never a second one:
// /api/v4/projects/:id/merge_requests/:iid/notes (POST, PUT .../notes/:note_id). System notes
// are never taken for it. A 403 is PermissionDenied saying the token needs the `api` scope. The
// search reads at most kMostNotePages pages. Stateless; thread-compatible (the client decides).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::gitlab {

inline constexpr int kMostNotePages = 20;

struct NoteTarget {
  std::string project;  // its path: "group/subgroup/project"
  std::int64_t iid = 0;
};

// Edits the note `known` names (when it still exists), else the one carrying the marker, else
// posts a new one; returns its id.
common::Result<std::int64_t> UpsertNote(http::HttpClient& client,
                                        const ConnectionSettings& settings,
                                        const NoteTarget& target, const std::string& markdown,
                                        std::optional<std::int64_t> known);

}  // namespace leadline::sources::gitlab
