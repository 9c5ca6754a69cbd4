#include "app/connections.h"

#include <algorithm>
#include <fstream>

#include "auth/secret_box.h"
#include "sources/registry/registry.h"
#include "store/store.h"
#include "store/store_url.h"

namespace leadline::app {
namespace {

using common::Result;
using common::Status;
using sources::ConnectionSettings;

// The server part of a URL: "https://git.example.com/bitbucket/" -> "git.example.com/bitbucket".
std::string HostAndPath(std::string url) {
  if (const std::size_t scheme = url.find("://"); scheme != std::string::npos) {
    url.erase(0, scheme + 3);
  }
  if (const std::size_t at = url.find('@'); at != std::string::npos) url.erase(0, at + 1);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::string ConnectionName(const ConnectionSettings& settings) {
  if (settings.provider == model::Provider::kBitbucketCloud) {
    return std::string("bitbucket-cloud/") + settings.workspace;
  }
  return std::string(model::ProviderName(settings.provider)) + "/" + HostAndPath(settings.url);
}

ConnectionSettings SettingsFor(const model::Connection& connection, std::string secret) {
  return {connection.provider, connection.url,      connection.workspace,
          connection.auth,     connection.username, std::move(secret)};
}

std::string DescribeCheck(model::Provider provider, const sources::CheckReport& check) {
  // An incident tool's check counts services.
  const bool services = model::IsIncidentTool(provider);
  std::string out = check.user + ", " + std::to_string(check.repositories) +
                    (services ? (check.repositories == 1 ? " service" : " services")
                              : (check.repositories == 1 ? " repository" : " repositories")) +
                    " visible";
  if (!check.server_version.empty()) {
    out += std::string(", ") + model::ProviderTitle(provider) + " " + check.server_version;
  }
  for (const std::string& note : check.notes) out += ", " + note;
  return out;
}

Result<sources::CheckReport> CheckSettings(http::HttpClient& client,
                                           const ConnectionSettings& settings) {
  LEADLINE_ASSIGN_OR_RETURN(const sources::Connector* connector,
                            sources::ConnectorFor(settings.provider));
  return connector->Check(client, settings);
}

Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read the secret file '" + path + "'");
  std::string line;
  std::getline(in, line);
  const std::size_t first = line.find_first_not_of(" \t\r\n");
  const std::size_t last = line.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return Status::InvalidArgument("the secret file '" + path + "' is empty");
  }
  return line.substr(first, last - first + 1);
}

Result<ConnectOutcome> Connect(const config::Paths& paths, const ConnectionSettings& settings,
                               http::HttpClient& client) {
  ConnectOutcome out;
  LEADLINE_ASSIGN_OR_RETURN(out.check, CheckSettings(client, settings));
  LEADLINE_ASSIGN_OR_RETURN(const auth::SecretBox box,
                            auth::SecretBox::FromEnvironmentOrKeyFile(paths.key_file));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  model::Connection& c = out.connection;
  c.name = ConnectionName(settings);
  c.provider = settings.provider;
  c.url = settings.url;
  c.workspace = settings.workspace;
  c.auth = settings.auth;
  c.username = settings.username;
  c.sealed_secret = box.Seal(settings.secret);
  c.checked_at = common::NowUnixSeconds();
  c.check_outcome = "ok: " + DescribeCheck(settings.provider, out.check);
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
  LEADLINE_ASSIGN_OR_RETURN(c.id, store->connections().UpsertConnection(c));
  LEADLINE_RETURN_IF_ERROR(
      store->connections().RecordConnectionCheck(c.id, *c.checked_at, c.check_outcome));
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return out;
}

Result<OpenedConnections> OpenConnections(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Connection> connections,
                            store->connections().LoadConnections());
  if (connections.empty()) {
    return Status::NotFound("no connection in '" + store::RedactPassword(paths.store) +
                            "': add one with `leadline connect bitbucket-cloud`, "
                            "`leadline connect bitbucket-dc`, `leadline connect gitlab`, "
                            "`leadline connect pagerduty`, `leadline connect incidentio`, "
                            "`leadline connect jsm` or `leadline connect opsgenie`");
  }
  LEADLINE_ASSIGN_OR_RETURN(auth::SecretBox box,
                            auth::SecretBox::FromEnvironmentOrKeyFile(paths.key_file));
  return OpenedConnections{std::move(store), std::move(connections), box};
}

namespace {

// Says so when the credentials now see fewer of the connection's repositories than its last
// listing did (access removed, or repositories deleted); empty otherwise.
Result<std::string> FewerVisible(store::Store& store, const model::Connection& connection,
                                 std::int64_t visible_now) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> known,
                            store.repositories().LoadConnectedRepositories());
  const auto listed = std::count_if(known.begin(), known.end(), [&](const model::Repository& r) {
    return r.connection_id == connection.id && r.visible;
  });
  if (visible_now >= listed) return std::string();
  return "only " + std::to_string(visible_now) + " of the " + std::to_string(listed) +
         " repositories listed last time are visible now: the account lacks access to the "
         "others, or they were deleted; `leadline repos list` names them";
}

}  // namespace

Result<std::vector<CheckOutcome>> CheckAll(const config::Paths& paths, http::HttpClient& client) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  std::vector<CheckOutcome> outcomes;
  for (const model::Connection& connection : opened.connections) {
    CheckOutcome outcome{connection, Status::Ok(), std::nullopt, ""};
    auto secret = opened.box.Open(connection.sealed_secret);
    if (!secret.ok()) {
      outcome.status = secret.status();
    } else {
      auto check = CheckSettings(client, SettingsFor(connection, *secret));
      if (check.ok()) {
        outcome.check = *check;
        LEADLINE_ASSIGN_OR_RETURN(outcome.warning,
                                  FewerVisible(*opened.store, connection, check->repositories));
      } else {
        outcome.status = check.status();
      }
    }
    const std::string recorded = outcome.status.ok()
                                     ? "ok: " + DescribeCheck(connection.provider, *outcome.check)
                                     : outcome.status.message();
    LEADLINE_RETURN_IF_ERROR(opened.store->connections().RecordConnectionCheck(
        connection.id, common::NowUnixSeconds(), recorded));
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace leadline::app
