#include "auth/api_tokens.h"

#include <sodium.h>

#include <algorithm>

#include "common/base64.h"

namespace leadline::auth {
namespace {

constexpr std::string_view kPrefix = "llt_";
constexpr std::size_t kSecretBytes = 32;

void EnsureSodium() {
  static const int ready = sodium_init();
  (void)ready;
}

}  // namespace

std::string HashSecret(std::string_view secret) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return hex;
}

common::Result<MintedToken> MintToken(const std::string& name,
                                      const std::vector<std::string>& scopes,
                                      const std::vector<std::string>& projects,
                                      const std::vector<std::string>& known_projects,
                                      std::optional<common::Seconds> expires_in,
                                      common::UnixSeconds now) {
  if (name.empty() || name.find('\n') != std::string::npos) {
    return common::Status::InvalidArgument("a token needs a name (--name ci-bot)");
  }
  if (scopes.empty()) {
    return common::Status::InvalidArgument(
        "a token needs scopes: read, write:events, bi:refresh or admin");
  }
  for (const std::string& scope : scopes) {
    if (std::find(std::begin(kScopes), std::end(kScopes), scope) == std::end(kScopes)) {
      return common::Status::InvalidArgument("unknown scope '" + scope +
                                             "' (known: read, write:events, bi:refresh, admin)");
    }
  }
  for (const std::string& project : projects) {
    if (std::find(known_projects.begin(), known_projects.end(), project) == known_projects.end()) {
      return common::Status::NotFound("no project '" + project +
                                      "'; create it first with `leadline projects create`");
    }
  }
  if (expires_in && *expires_in <= 0) {
    return common::Status::InvalidArgument("--expires must be a positive duration");
  }
  MintedToken out;
  out.secret = std::string(kPrefix) + RandomUrlSafe(kSecretBytes);
  out.token.name = name;
  out.token.secret_hash = HashSecret(out.secret);
  out.token.scopes = scopes;
  out.token.projects = projects;
  out.token.created_at = now;
  if (expires_in) out.token.expires_at = now + *expires_in;
  return out;
}

std::string RandomUrlSafe(std::size_t bytes) {
  EnsureSodium();
  std::string random(bytes, '\0');
  randombytes_buf(random.data(), random.size());
  return common::Base64Url(random);
}

bool Principal::Has(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end() ||
         std::find(scopes.begin(), scopes.end(), "admin") != scopes.end();
}

bool Principal::MaySeeProject(const std::string& name) const {
  return projects.empty() || std::find(projects.begin(), projects.end(), name) != projects.end();
}

common::Result<Principal> Authenticate(std::string_view authorization,
                                       const std::vector<model::ApiToken>& tokens,
                                       const std::vector<model::Project>& projects,
                                       common::UnixSeconds now, std::string* refusal) {
  const auto refused = [refusal](const char* word, std::string message) {
    if (refusal != nullptr) *refusal = word;
    return common::Status::Unauthenticated(std::move(message));
  };
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.substr(0, kBearer.size()) != kBearer) {
    return refused(
        "no_token",
        "send an API token as 'Authorization: Bearer <token>' (`leadline tokens create`)");
  }
  const std::string hash = HashSecret(authorization.substr(kBearer.size()));
  // Compare hashes in constant time, whichever token matches.
  const model::ApiToken* found = nullptr;
  for (const model::ApiToken& token : tokens) {
    if (token.secret_hash.size() == hash.size() &&
        sodium_memcmp(token.secret_hash.data(), hash.data(), hash.size()) == 0) {
      found = &token;
    }
  }
  if (found == nullptr) return refused("bad_token", "the API token is not known");
  if (found->revoked_at) {
    return refused("revoked_token", "the API token '" + found->name + "' was revoked");
  }
  if (found->expires_at && *found->expires_at <= now) {
    return refused("expired_token", "the API token '" + found->name + "' has expired");
  }
  Principal principal;
  principal.token_id = found->id;
  principal.token_name = found->name;
  principal.scopes = found->scopes;
  principal.projects = found->projects;
  principal.repositories = RepositoriesOf(found->projects, projects);
  return principal;
}

std::optional<std::set<std::int64_t>> RepositoriesOf(const std::vector<std::string>& project_names,
                                                     const std::vector<model::Project>& projects) {
  if (project_names.empty()) return std::nullopt;
  std::set<std::int64_t> repositories;
  for (const model::Project& project : projects) {
    if (std::find(project_names.begin(), project_names.end(), project.name) ==
        project_names.end()) {
      continue;
    }
    repositories.insert(project.repository_ids.begin(), project.repository_ids.end());
  }
  return repositories;
}

}  // namespace leadline::auth
