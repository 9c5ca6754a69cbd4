// Connecting to Bitbucket: the settings of a connection (edition, URL, workspace, how it
// authenticates) and the connection check that `leadline connect` and `leadline check` run. The
// check names the authenticated user and counts the repositories the credentials can see, or
// says what to fix: a wrong or expired token, an e-mail/nickname mix-up, a switched-off app
// password, a missing scope, a Data Center URL with a wrong context path, TLS or DNS trouble.
// Stateless functions over an HttpClient; thread-safe when the client is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "model/connection.h"
#include "sources/contract/connector.h"

namespace leadline::sources::bitbucket {

using model::AuthMethod;
using model::Provider;

inline constexpr const char* kCloudApiUrl = "https://api.bitbucket.org/2.0";

using ConnectionSettings = sources::ConnectionSettings;

using CheckResult = sources::CheckReport;  // server_version: Data Center only

common::Result<CheckResult> CheckConnection(http::HttpClient& client,
                                            const ConnectionSettings& settings);

// Base URLs to try when a Data Center URL does not answer: without trailing slashes, then with
// path segments removed from the end (a URL copied from the browser often carries a page path),
// then the host with the usual context paths (/bitbucket, /stash, /git).
std::vector<std::string> DataCenterBaseCandidates(const std::string& url);

}  // namespace leadline::sources::bitbucket
