#include "auth/person_sessions.h"

namespace leadline::auth {

std::string PersonAuditName(const std::string& name) { return "person " + name; }

common::Result<Principal> AuthenticateSession(const std::optional<model::PersonSession>& session,
                                              const OidcSettings& settings,
                                              const std::vector<model::Project>& projects,
                                              common::UnixSeconds now, std::string* refusal) {
  const auto refused = [refusal](const char* word, std::string message) {
    if (refusal != nullptr) *refusal = word;
    return common::Status::Unauthenticated(std::move(message));
  };
  if (!session) return refused("unknown_session", "the session is not known: sign in again");
  if (session->revoked_at) {
    return refused("revoked_session", "the session was ended: sign in again");
  }
  if (now >= session->expires_at || now - session->last_seen_at >= settings.session_idle) {
    return refused("expired_session", "the session has expired: sign in again");
  }
  const std::optional<PersonAccess> access = AccessOf(settings, session->claim_values);
  if (!access) {
    return refused("no_role", "no role grants " + session->name + " access any longer");
  }
  Principal principal;
  principal.token_name = PersonAuditName(session->name);
  principal.scopes = ScopesOf(access->level);
  principal.projects = access->projects;
  principal.repositories = RepositoriesOf(access->projects, projects);
  principal.session_id = session->id;
  principal.session_last_seen = session->last_seen_at;
  return principal;
}

}  // namespace leadline::auth
