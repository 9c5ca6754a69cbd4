// What Leadline reads from commit messages: reverts and the branch a merge brought in.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadline::engine {

// The first line of a message, without trailing spaces or '\r'.
std::string_view Subject(std::string_view message);

struct RevertReference {
  std::string sha;      // from "This reverts commit <sha>." (7 to 40 hex digits); may be empty
  std::string subject;  // from a subject `Revert "<subject>"`; may be empty
};

// Reads git's default revert message. Empty when the message is not a revert.
std::optional<RevertReference> ParseRevert(std::string_view message);

// The source branch named by a merge or squash message from git, GitHub, GitLab or Bitbucket:
//   Merge branch 'hotfix/x' [into 'main']     Merge pull request #12 from owner/hotfix/x
//   Pull request #12: Title  +  "Merge in PROJ/repo from hotfix/x to main" (Bitbucket Data Center)
//   Merge pull request #12 in PROJ/repo from hotfix/x to main   (older Bitbucket Server)
//   Merged in hotfix/x (pull request #12)     Merge remote-tracking branch 'origin/hotfix/x'
// Empty when the subject names no branch.
std::optional<std::string> ParseMergedBranch(std::string_view message);

}  // namespace leadline::engine
