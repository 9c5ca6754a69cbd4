#include "cli/sessions_command.h"

#include <cstdio>
#include <memory>

#include "app/access.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/time.h"

namespace leadline::cli {
namespace {

struct SessionsFlags {
  StoreOptions store;
  std::string target;
};

int RunList(const SessionsFlags& flags) {
  auto sessions = app::ListSessions(flags.store.paths);
  if (!sessions.ok()) return ReportError(sessions.status());
  if (sessions->empty()) {
    std::printf("No sessions: nobody is signed in with the sign-in provider.\n");
    return 0;
  }
  const common::UnixSeconds now = common::NowUnixSeconds();
  std::printf("%-6s %-32s %-21s %-21s %s\n", "ID", "PERSON", "SIGNED IN", "LAST SEEN", "STATE");
  for (const model::PersonSession& session : *sessions) {
    const std::string state =
        session.revoked_at          ? "revoked " + common::FormatRfc3339(*session.revoked_at)
        : session.expires_at <= now ? "expired"
                                    : "ends " + common::FormatRfc3339(session.expires_at);
    std::printf("%-6lld %-32s %-21s %-21s %s\n", static_cast<long long>(session.id),
                session.name.c_str(), common::FormatRfc3339(session.created_at).c_str(),
                common::FormatRfc3339(session.last_seen_at).c_str(), state.c_str());
  }
  return 0;
}

int RunRevoke(const SessionsFlags& flags) {
  auto revoked = app::RevokeSessions(flags.store.paths, flags.target);
  if (!revoked.ok()) return ReportError(revoked.status());
  std::printf("%lld session(s) ended; the next request of each is refused.\n",
              static_cast<long long>(*revoked));
  return 0;
}

}  // namespace

std::vector<std::function<int()>> AddSessionsCommands(CLI::App& app) {
  auto flags = std::make_shared<SessionsFlags>();
  CLI::App* sessions =
      app.add_subcommand("sessions", "Sessions of people signed in with the [oidc] provider");
  sessions->require_subcommand(1);
  CLI::App* list = sessions->add_subcommand("list", "List the sessions that have not expired");
  CLI::App* revoke = sessions->add_subcommand(
      "revoke", "End a session at once: its id, or a person's e-mail (all of their sessions)");
  revoke->add_option("target", flags->target, "A session id, or a person's name or subject")
      ->required();
  for (CLI::App* command : {list, revoke}) AddStoreOptions(command, &flags->store);
  return {
      [list, flags]() { return list->parsed() ? RunList(*flags) : -1; },
      [revoke, flags]() { return revoke->parsed() ? RunRevoke(*flags) : -1; },
  };
}

}  // namespace leadline::cli
