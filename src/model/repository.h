// Plain domain structs for repositories and their git history. No I/O; values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"

namespace leadline::model {

using common::UnixSeconds;

struct Repository {
  std::int64_t id = 0;             // store-assigned
  std::string source;              // "git" for a local repository
  std::string location;            // absolute path (git), later a URL or workspace/slug
  std::string name;                // short name for people
  std::string default_branch;      // e.g. "main"; empty when unknown
  std::int64_t connection_id = 0;  // the Bitbucket connection it comes from; 0 for local git
  bool selected = false;           // only selected repositories of a connection are synced
  std::string clone_url;           // git over HTTPS, without credentials; empty for local git
  // False when the connection's last listing no longer had it: the credentials lost access, or
  // it was deleted or renamed.
  bool visible = true;
  std::optional<UnixSeconds> synced_at = std::nullopt;  // when its last sync succeeded
  std::string webhook_id = {};  // the hook Leadline registered on it; empty: none
  // The host's own id of the repository (Bitbucket Cloud: its "{uuid}", which CI tokens name);
  // empty when not known.
  std::string upstream_id = {};
};

struct Person {
  std::string name;
  std::string email;
};

// What a change did to the files: as `git diff --shortstat` counts it.
struct DiffStats {
  int files_changed = 0;
  int lines_added = 0;
  int lines_deleted = 0;

  bool operator==(const DiffStats&) const = default;
};

struct Commit {
  std::string sha;                   // 40 lowercase hex digits
  std::vector<std::string> parents;  // in git's order: first parent first
  Person author;
  UnixSeconds author_time = 0;
  Person committer;
  UnixSeconds committer_time = 0;
  std::string message;
  // Diff statistics, when the source could compute them cheaply; empty otherwise.
  std::optional<int> files_changed;
  std::optional<int> lines_added;
  std::optional<int> lines_deleted;
};

enum class RefKind { kBranch, kTag };

struct Ref {
  std::string name;  // short name: "main", "v1.2.0"
  RefKind kind = RefKind::kBranch;
  std::string target_sha;  // the commit it points at (tags are peeled)
  // Annotated tags: the tagger's time. Lightweight tags and branches: empty.
  std::optional<UnixSeconds> tag_time;

  bool operator==(const Ref&) const = default;
};

const char* RefKindName(RefKind kind);

}  // namespace leadline::model
