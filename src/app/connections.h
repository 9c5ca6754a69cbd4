// The composition behind `leadline connect` and `leadline check`: checks a Bitbucket connection
// over HTTP, and on success stores it with its secret sealed by a SecretBox (key from
// LEADLINE_SECRET_KEY or the key file beside the store). A connection that fails its check is not
// stored. Single-threaded; owns what it opens.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/secret_box.h"
#include "config/paths.h"
#include "http/http_client.h"
#include "model/connection.h"
#include "sources/contract/connector.h"
#include "store/store.h"

namespace leadline::app {

struct ConnectOutcome {
  model::Connection connection;
  sources::CheckReport check;
};

// `client` is the transport (tests pass one pointed at a local double; the CLI passes libcurl).
common::Result<ConnectOutcome> Connect(const config::Paths& paths,
                                       const sources::ConnectionSettings& settings,
                                       http::HttpClient& client);

struct CheckOutcome {
  model::Connection connection;
  common::Status status;  // ok, or the diagnosis
  std::optional<sources::CheckReport> check;
  // Set when the credentials see fewer repositories than the last `repos list` found.
  std::string warning;
};

// Checks every stored connection and records the outcome on each.
common::Result<std::vector<CheckOutcome>> CheckAll(const config::Paths& paths,
                                                   http::HttpClient& client);

// The store, its connections and the key that opens their secrets; NotFound when there is no
// connection yet.
struct OpenedConnections {
  std::unique_ptr<store::Store> store;
  std::vector<model::Connection> connections;
  auth::SecretBox box;
};
common::Result<OpenedConnections> OpenConnections(const config::Paths& paths);

// The unique name of a connection: "bitbucket-cloud/<workspace>", "bitbucket-dc/<host/path>",
// "gitlab/<host/path>", "pagerduty/<host>".
std::string ConnectionName(const sources::ConnectionSettings& settings);

// The settings of a stored connection, with its opened secret.
sources::ConnectionSettings SettingsFor(const model::Connection& connection, std::string secret);

// Reads a token or password from a file: the first line, without surrounding whitespace.
common::Result<std::string> ReadSecretFile(const std::string& path);

// One line for people: "Dev Eloper (devnick), 250 repositories visible".
std::string DescribeCheck(model::Provider provider, const sources::CheckReport& check);

}  // namespace leadline::app
