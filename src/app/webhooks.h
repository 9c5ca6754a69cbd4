// The composition behind `leadline webhooks secret|status` and the hooks of `repos select`: each
// connection's webhook secret (made on first use, kept sealed), which Bitbucket signs deliveries
// with and GitLab sends back as its token; per connection the last delivery and its outcome; and
// the hook registered on each selected repository. Single-threaded; owns what it opens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/paths.h"
#include "http/http_client.h"
#include "model/connection.h"
#include "model/repository.h"
#include "model/webhook.h"

namespace leadline::app {

struct ConnectionWebhook {
  std::string connection;                               // "bitbucket-cloud/acme"
  std::string secret;                                   // to paste into the hook's settings
  std::optional<model::WebhookDelivery> last_delivery;  // without its body
};

// Every connection's webhook secret, made (and stored sealed) for those that have none yet.
common::Result<std::vector<ConnectionWebhook>> WebhookSecrets(const config::Paths& paths);

// Every connection with its last delivery; secrets are left empty.
common::Result<std::vector<ConnectionWebhook>> WebhookStatus(const config::Paths& paths);

// A selected repository's hook and the last delivery that named it.
struct RepositoryWebhook {
  std::string location;
  std::string hook_id;  // empty: none registered
  std::optional<model::WebhookDelivery> last_delivery;
};
common::Result<std::vector<RepositoryWebhook>> RepositoryWebhooks(const config::Paths& paths);

// What happened to one repository's hook.
struct HookChange {
  std::string location;
  common::Status status;  // ok, or why the hook could not be registered or removed
  std::string hook_id;    // the registered hook's id (empty once removed)
  std::string url;        // where the hook sends deliveries
};

// Where a connection's hooks send deliveries: `<public_url>/v1/webhooks/<connection id>`, or for
// a provider whose hooks share a path (Bitbucket's /v1/bitbucket/webhook) that path.
std::string HookUrl(const std::string& public_url, const model::Connection& connection);

// After a selection change: registers Leadline's hook, pointing at HookUrl() and signed with
// (or carrying) the connection's secret, on each of
// `repositories` (selected), or removes the one it registered (deselected). Each repository's
// outcome is its own: one that fails (say, credentials that may not manage webhooks) does not
// stop the others. The hook ids are stored with the repositories.
common::Result<std::vector<HookChange>> UpdateHooks(
    const config::Paths& paths, const std::vector<model::Repository>& repositories, bool selected,
    const std::string& public_url, http::HttpClient& client);

}  // namespace leadline::app
