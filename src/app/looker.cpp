#include "app/looker.h"

#include "auth/oidc_discovery.h"
#include "common/text.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;

constexpr std::size_t kMostField = 1024;

}  // namespace

Status ConnectLooker(store::Store& store, const auth::SecretBox& box, http::HttpClient& client,
                     const LookerConnectRequest& request) {
  const std::string url = common::WithoutTrailingSlashes(request.url);
  if (url.size() > kMostField || !auth::IsSecureUrl(url)) {
    return Status::InvalidArgument("--url '" + http::RedactUrl(url.substr(0, 200)) +
                                   "' is not an https URL (http only on loopback)");
  }
  if (url.ends_with("/api/4.0") || url.find("/api/") != std::string::npos) {
    return Status::InvalidArgument("--url is the Looker host, without /api/4.0: " +
                                   http::RedactUrl(url.substr(0, url.find("/api/"))));
  }
  if (request.client_id.empty() || request.client_id.size() > kMostField) {
    return Status::InvalidArgument("--client-id is empty or over 1024 characters");
  }
  if (request.client_secret.empty() || request.client_secret.size() > kMostField) {
    return Status::InvalidArgument(
        "the client secret file's first line is empty or over 1024 characters");
  }
  LEADLINE_RETURN_IF_ERROR(
      sources::looker::CheckCredentials(client, {url, request.client_id, request.client_secret}));
  return store.analytics().SaveLookerConnection(
      {url, request.client_id, box.Seal(request.client_secret), request.now, std::nullopt, ""});
}

Status CheckLookerTarget(const LookerTarget& target) {
  if (target.datagroup.empty()) return Status::InvalidArgument("--datagroup names no datagroup");
  if (target.datagroup.size() > 255 || target.model.size() > 255) {
    return Status::InvalidArgument("--datagroup and --model are at most 255 characters");
  }
  return Status::Ok();
}

Result<store::LookerConnection> StoredLookerConnection(store::Store& store) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<store::LookerConnection> connection,
                            store.analytics().LoadLookerConnection());
  if (!connection) {
    return Status::FailedPrecondition(
        "no Looker is connected: run `leadline looker connect --url URL --client-id ID "
        "--client-secret-file FILE` first");
  }
  return *connection;
}

Result<sources::looker::TriggerOutcome> TriggerLooker(store::Store& store,
                                                      const auth::SecretBox& box,
                                                      http::HttpClient& client,
                                                      const LookerTarget& target,
                                                      common::UnixSeconds now) {
  LEADLINE_RETURN_IF_ERROR(CheckLookerTarget(target));
  LEADLINE_ASSIGN_OR_RETURN(const store::LookerConnection connection,
                            StoredLookerConnection(store));
  const Result<std::string> secret = box.Open(connection.sealed_secret);
  if (!secret.ok()) {
    return Status::FailedPrecondition(
        "the Looker client secret cannot be opened with this key: restore the key it was sealed "
        "with, or run `leadline looker connect` again");
  }
  auto outcome = sources::looker::TriggerDatagroup(
      client, {connection.url, connection.client_id, *secret}, target.model, target.datagroup, now);
  const std::string recorded =
      outcome.ok() ? "triggered " + outcome->datagroup.model_name + "::" + outcome->datagroup.name
                   : outcome.status().message();
  // What `looker status` shows; the trigger's own outcome matters more than this record's.
  (void)store.analytics().RecordLookerTrigger(now, recorded);
  return outcome;
}

}  // namespace leadline::app
