// Persisted queries for POST/GET /graphql, in Apollo's protocol: a request may name its document
// by `extensions.persistedQuery.sha256Hash` (the hex SHA-256 of the document, version 1) instead
// of, or beside, sending it.
//  - Automatic (the default): a request with the document and its hash stores it (after checking
//    the hash), so that later requests send the hash alone; a hash not stored yet answers
//    PERSISTED_QUERY_NOT_FOUND, and the client sends the document again. At most kMostAutomatic
//    documents of at most kMostDocumentBytes each are kept (a larger one runs, unkept); a new one
//    past that replaces the oldest.
//  - Allow-list (`serve --graphql-allow-list FILE`, an Apollo persisted query manifest): only the
//    manifest's documents run, named by hash or sent whole; any other is refused
//    (PERSISTED_QUERY_NOT_LISTED), so a deployment can refuse ad-hoc queries.
//
// Ownership: owns the documents. Thread-safety: safe from any thread (one lock).
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/status.h"

namespace leadline::api {

// A persisted-query refusal: its message and the GraphQL error's extensions.code.
struct PersistedQueryError {
  std::string message;
  std::string code;  // PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_NOT_LISTED, BAD_USER_INPUT
};

class PersistedQueries {
 public:
  static constexpr std::size_t kMostAutomatic = 1000;
  static constexpr std::size_t kMostDocumentBytes = 16 * 1024;

  PersistedQueries() = default;  // automatic
  // The allow-list of an Apollo manifest: {"format": "apollo-persisted-query-manifest",
  // "version": 1, "operations": [{"id": <sha256 hex>, "body": <document>, ...}]}; each id must be
  // its body's hash. InvalidArgument naming what is wrong.
  static common::Result<std::unique_ptr<PersistedQueries>> LoadAllowList(const std::string& path);

  bool allow_list() const { return allow_list_; }
  std::size_t size() const;

  // The document to run, from the request's `query` (absent when it sent none) and its
  // persisted-query hash (absent when it named none).
  std::optional<std::string> Resolve(const std::optional<std::string>& query,
                                     const std::optional<std::string>& hash,
                                     PersistedQueryError* error);

 private:
  bool allow_list_ = false;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> documents_;  // by hash
  std::deque<std::string> order_;                 // automatic: hashes, oldest first
};

// The lower-case hex SHA-256 of a document, as the protocol names it.
std::string DocumentHash(const std::string& document);

}  // namespace leadline::api
