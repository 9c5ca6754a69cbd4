#include "api/persisted_queries.h"

#include <nlohmann/json.hpp>

#include "auth/api_tokens.h"
#include "common/file.h"

namespace leadline::api {

std::string DocumentHash(const std::string& document) { return auth::HashSecret(document); }

common::Result<std::unique_ptr<PersistedQueries>> PersistedQueries::LoadAllowList(
    const std::string& path) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text,
                            common::ReadTextFile(path, "persisted query manifest"));
  const auto bad = [&](const std::string& why) {
    return common::Status::InvalidArgument("the persisted query manifest '" + path + "' " + why);
  };
  const nlohmann::json manifest = nlohmann::json::parse(text, nullptr, false);
  if (!manifest.is_object() || manifest.value("format", "") != "apollo-persisted-query-manifest" ||
      manifest.value("version", 0) != 1) {
    return bad(
        "is not an Apollo persisted query manifest ({\"format\": "
        "\"apollo-persisted-query-manifest\", \"version\": 1, \"operations\": [...]})");
  }
  const auto operations = manifest.find("operations");
  if (operations == manifest.end() || !operations->is_array() || operations->empty()) {
    return bad("lists no operations");
  }
  auto out = std::make_unique<PersistedQueries>();
  out->allow_list_ = true;
  for (const nlohmann::json& operation : *operations) {
    if (!operation.is_object() || !operation.contains("id") || !operation["id"].is_string() ||
        !operation.contains("body") || !operation["body"].is_string()) {
      return bad("has an operation without a string \"id\" and \"body\"");
    }
    const std::string id = operation["id"];
    const std::string body = operation["body"];
    if (DocumentHash(body) != id) {
      return bad("has an operation whose id " + id + " is not the SHA-256 of its body");
    }
    out->documents_.emplace(id, body);
  }
  return out;
}

std::size_t PersistedQueries::size() const {
  std::lock_guard lock(mutex_);
  return documents_.size();
}

std::optional<std::string> PersistedQueries::Resolve(const std::optional<std::string>& query,
                                                     const std::optional<std::string>& hash,
                                                     PersistedQueryError* error) {
  if (query && hash && DocumentHash(*query) != *hash) {
    *error = {"provided sha does not match query", "BAD_USER_INPUT"};
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  if (allow_list_) {
    const auto found = documents_.find(hash ? *hash : DocumentHash(query.value_or("")));
    if (found != documents_.end()) return found->second;
    *error = {
        "this server runs only the persisted queries of its allow-list, and this is not one "
        "of them",
        "PERSISTED_QUERY_NOT_LISTED"};
    return std::nullopt;
  }
  if (!hash) return query;
  if (query) {
    if (query->size() <= kMostDocumentBytes && documents_.emplace(*hash, *query).second) {
      order_.push_back(*hash);
      if (order_.size() > kMostAutomatic) {
        documents_.erase(order_.front());
        order_.pop_front();
      }
    }
    return query;
  }
  const auto found = documents_.find(*hash);
  if (found != documents_.end()) return found->second;
  // Apollo's clients look for this message, then send the document with its hash.
  *error = {"PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"};
  return std::nullopt;
}

}  // namespace leadline::api
