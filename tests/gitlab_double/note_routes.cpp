// Notes Leadline posts on the GitLab double's merge requests, in GitLab's shapes: POST
// /projects/:id/merge_requests/:iid/notes {body} answers 201 with the note, PUT .../notes/:note_id
// {body} 200 (404 for a note that is not there); both need the `api` scope (403
// insufficient_scope otherwise). Posted notes are listed with the merge request's own
// (project_routes.cpp).
#include <algorithm>

#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

const std::vector<std::string> kWriteScopes = {"api"};
constexpr std::size_t kMostNoteBytes = 1'000'000;  // GitLab's limit on a note's body

// The merge request the call names, or 0 (having answered 404).
int Iid(const GitLabState& state, ApiCall& call) {
  const std::string& text = call.ids.at(1);
  const bool digits =
      !text.empty() && text.size() < 9 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int iid = digits ? std::atoi(text.c_str()) : 0;
  if (iid < 1 || iid > state.Shape().merge_requests) {
    SendMessage(call.res, 404, "404 Not found");
    return 0;
  }
  return iid;
}

// The body's note text, or "" (having answered 400).
std::string NoteBody(ApiCall& call) {
  const nlohmann::json body = nlohmann::json::parse(call.req.body, nullptr, false);
  std::string text;
  if (body.is_object() && body.contains("body") && body["body"].is_string()) {
    text = body["body"].get<std::string>();
  }
  if (text.empty() || text.size() > kMostNoteBytes) {
    SendError(call.res, 400, "body is missing");
    return "";
  }
  return text;
}

}  // namespace

void AddNoteRoutes(ApiRoutes& routes, GitLabState& state) {
  routes["POST /projects/:id/merge_requests/:iid/notes"] = {
      kWriteScopes, [&state](ApiCall& call) {
        const int iid = Iid(state, call);
        if (iid == 0) return;
        const std::string text = NoteBody(call);
        if (text.empty()) return;
        SendGitLabJson(call.res, 201,
                       state.AddNote(call.project, iid, text, common::NowUnixSeconds()).object);
      }};
  routes["PUT /projects/:id/merge_requests/:iid/notes/:note_id"] = {
      kWriteScopes, [&state](ApiCall& call) {
        const int iid = Iid(state, call);
        if (iid == 0) return;
        const std::string text = NoteBody(call);
        if (text.empty()) return;
        const std::string& id = call.ids.at(2);
        const auto edited = state.EditNote(call.project, iid, std::atoll(id.c_str()), text,
                                           common::NowUnixSeconds());
        if (!edited) return SendMessage(call.res, 404, "404 Note Not Found");
        SendGitLabJson(call.res, 200, edited->object);
      }};
}

}  // namespace leadline::testing
