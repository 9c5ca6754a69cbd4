#include "sources/registry/connection_request.h"

#include <algorithm>

#include "common/text.h"
#include "sources/bitbucket/connection_check.h"
#include "sources/gitlab/gitlab_check.h"
#include "sources/incidentio/incidentio_http.h"
#include "sources/opsgenie/opsgenie_http.h"
#include "sources/pagerduty/pagerduty_http.h"

namespace leadline::sources {
namespace {

using common::Status;

constexpr std::size_t kMostUrlBytes = 2048;
constexpr std::size_t kMostNameBytes = 254;     // an e-mail address's limit
constexpr std::size_t kMostSecretBytes = 8192;  // tokens go into a header

bool HasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// A plain value: at most `most` bytes, nothing that could end a header line.
Status CheckPlain(const std::string& value, const char* name, std::size_t most) {
  if (value.size() > most || HasControl(value)) {
    return Status::InvalidArgument(std::string(name) + " must be at most " + std::to_string(most) +
                                   " bytes without control characters");
  }
  return Status::Ok();
}

common::Result<std::string> UrlOrDefault(const std::string& given, const char* fallback,
                                         model::Provider provider) {
  if (given.empty()) {
    if (fallback == nullptr) {
      return Status::InvalidArgument(std::string(model::ProviderTitle(provider)) +
                                     " needs its base URL, with the context path if any");
    }
    return std::string(fallback);
  }
  if (given.size() > kMostUrlBytes || HasControl(given) ||
      !(given.starts_with("https://") || given.starts_with("http://"))) {
    return Status::InvalidArgument("'" + given.substr(0, 200) +
                                   "' is not an http or https URL of at most 2048 bytes");
  }
  // GitLab's and the incident tools' URLs are stored without trailing slashes: every API path is
  // appended. Bitbucket's are kept as given, so that its check can say which URL the server answers
  // on.
  if (provider == model::Provider::kGitLab || model::IsIncidentTool(provider)) {
    return common::WithoutTrailingSlashes(given);
  }
  return given;
}

// Bitbucket Cloud's three ways to sign in; exactly one must be given.
Status CloudSignIn(const ConnectionRequest& request, const RequestFieldNames& names,
                   ConnectionSettings& settings) {
  const int ways =
      !request.token.empty() + !request.access_token.empty() + !request.app_password.empty();
  if (ways != 1) {
    return Status::InvalidArgument(std::string("give one way to sign in: ") + names.email +
                                   " and " + names.token + " (API token), " + names.access_token +
                                   " (access token), or " + names.username + " and " +
                                   names.app_password + " (legacy app password)");
  }
  if (!request.token.empty()) {
    if (request.email.empty()) {
      return Status::InvalidArgument(std::string(names.token) + " needs " + names.email +
                                     ": API tokens sign in with the Atlassian account e-mail");
    }
    settings.auth = model::AuthMethod::kApiToken;
    settings.username = request.email;
    settings.secret = request.token;
  } else if (!request.access_token.empty()) {
    settings.auth = model::AuthMethod::kAccessToken;
    settings.secret = request.access_token;
  } else {
    if (request.username.empty()) {
      return Status::InvalidArgument(std::string(names.app_password) + " needs " + names.username);
    }
    settings.auth = model::AuthMethod::kAppPassword;
    settings.username = request.username;
    settings.secret = request.app_password;
  }
  return Status::Ok();
}

}  // namespace

common::Result<ConnectionSettings> SettingsFrom(const ConnectionRequest& request,
                                                const RequestFieldNames& names) {
  LEADLINE_RETURN_IF_ERROR(CheckPlain(request.workspace, names.workspace, 100));
  LEADLINE_RETURN_IF_ERROR(CheckPlain(request.email, names.email, kMostNameBytes));
  LEADLINE_RETURN_IF_ERROR(CheckPlain(request.username, names.username, kMostNameBytes));
  LEADLINE_RETURN_IF_ERROR(CheckPlain(request.token, names.token, kMostSecretBytes));
  LEADLINE_RETURN_IF_ERROR(CheckPlain(request.access_token, names.access_token, kMostSecretBytes));
  LEADLINE_RETURN_IF_ERROR(CheckPlain(request.app_password, names.app_password, kMostSecretBytes));
  ConnectionSettings settings;
  settings.provider = request.provider;
  const char* default_url = nullptr;
  switch (request.provider) {
    case model::Provider::kBitbucketCloud:
      if (request.workspace.empty() || request.workspace.find('/') != std::string::npos) {
        return Status::InvalidArgument(std::string(names.workspace) +
                                       " must name the workspace by its slug, such as 'acme'");
      }
      settings.workspace = request.workspace;
      LEADLINE_RETURN_IF_ERROR(CloudSignIn(request, names, settings));
      default_url = bitbucket::kCloudApiUrl;
      break;
    case model::Provider::kBitbucketDataCenter:
      settings.auth = model::AuthMethod::kHttpAccessToken;
      break;
    case model::Provider::kGitLab:
      settings.auth = model::AuthMethod::kGitLabToken;
      default_url = gitlab::kGitLabComUrl;
      break;
    case model::Provider::kPagerDuty:
      settings.auth = model::AuthMethod::kPagerDutyToken;
      default_url = pagerduty::kPagerDutyApiUrl;
      break;
    case model::Provider::kIncidentIo:
      settings.auth = model::AuthMethod::kIncidentIoKey;
      default_url = incidentio::kIncidentIoApiUrl;
      break;
    case model::Provider::kJsm:
      // An Atlassian account's API token, with its e-mail, on the site named by `url`.
      if (request.email.empty()) {
        return Status::InvalidArgument(std::string(names.token) + " needs " + names.email +
                                       ": Jira Service Management signs in with the Atlassian "
                                       "account's e-mail and an API token of it");
      }
      if (request.url.empty()) {
        return Status::InvalidArgument(
            "Jira Service Management needs its site's address, https://<site>.atlassian.net "
            "(--site, or 'url' in the admin API)");
      }
      settings.auth = model::AuthMethod::kApiToken;
      settings.username = request.email;
      break;
    case model::Provider::kOpsgenie:
      settings.auth = model::AuthMethod::kOpsgenieKey;
      default_url = opsgenie::kOpsgenieApiUrl;
      break;
    default:
      return Status::InvalidArgument(std::string(model::ProviderTitle(request.provider)) +
                                     " is not connected this way");
  }
  if (request.provider != model::Provider::kBitbucketCloud) {
    if (request.token.empty() || !request.access_token.empty() || !request.app_password.empty()) {
      return Status::InvalidArgument(std::string(model::ProviderTitle(request.provider)) +
                                     " signs in with " + names.token + " only");
    }
    settings.secret = request.token;
  }
  LEADLINE_ASSIGN_OR_RETURN(settings.url, UrlOrDefault(request.url, default_url, request.provider));
  return settings;
}

}  // namespace leadline::sources
