#include "engine/commit_messages.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/object_id.h"

namespace leadline::engine {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The text up to the first character in `stops`.
std::string_view TakeUntil(std::string_view text, std::string_view stops) {
  return text.substr(0, text.find_first_of(stops));
}

}  // namespace

std::string_view Subject(std::string_view message) {
  std::string_view subject = message.substr(0, message.find('\n'));
  while (!subject.empty() && (subject.back() == '\r' || subject.back() == ' ')) {
    subject.remove_suffix(1);
  }
  return subject;
}

std::optional<RevertReference> ParseRevert(std::string_view message) {
  RevertReference ref;
  constexpr std::string_view kMarker = "This reverts commit ";
  // memmem: this runs over every message of a snapshot, and glibc's is much faster than find().
  if (const void* found = memmem(message.data(), message.size(), kMarker.data(), kMarker.size())) {
    const std::size_t at =
        static_cast<std::size_t>(static_cast<const char*>(found) - message.data());
    std::string_view hex = message.substr(at + kMarker.size());
    const std::size_t end = std::min(hex.find_first_not_of("0123456789abcdefABCDEF"), hex.size());
    // A commit id ends the word: "This reverts commit added ..." names no commit.
    const bool ends_word = end == hex.size() || !std::isalnum(static_cast<unsigned char>(hex[end]));
    if (end >= 7 && end <= 40 && ends_word) ref.sha = std::string(hex.substr(0, end));
  }
  const std::string_view subject = Subject(message);
  constexpr std::string_view kPrefix = "Revert \"";
  if (StartsWith(subject, kPrefix) && subject.size() > kPrefix.size() + 1 &&
      subject.back() == '"') {
    ref.subject = std::string(subject.substr(kPrefix.size(), subject.size() - kPrefix.size() - 1));
  }
  if (ref.sha.empty() && ref.subject.empty()) return std::nullopt;
  return ref;
}

std::optional<std::string> ParseMergedBranch(std::string_view message) {
  if (!StartsWith(message, "Merge") && !StartsWith(message, "Pull request #")) return std::nullopt;
  const std::string_view subject = Subject(message);
  std::string_view branch;
  if (StartsWith(subject, "Pull request #")) {
    // Bitbucket Data Center: "Pull request #12: Title" then a line
    // "Merge in PROJ/repo from hotfix/x to main".
    const std::size_t at = message.find("\nMerge in ");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view line = message.substr(at + 1);
    line = line.substr(0, line.find('\n'));
    const std::size_t from = line.find(" from ");
    if (from == std::string_view::npos) return std::nullopt;
    branch = TakeUntil(line.substr(from + 6), " ");
  }
  if (StartsWith(subject, "Merge branch '") ||
      StartsWith(subject, "Merge remote-tracking branch '")) {
    const std::string_view rest = subject.substr(subject.find('\'') + 1);
    branch = TakeUntil(rest, "'");
    if (StartsWith(subject, "Merge remote-tracking") &&
        branch.find('/') != std::string_view::npos) {
      branch = branch.substr(branch.find('/') + 1);  // drop the remote's name
    }
  } else if (StartsWith(subject, "Merge pull request #")) {
    const std::size_t from = subject.find(" from ");
    if (from == std::string_view::npos) return std::nullopt;
    branch = TakeUntil(subject.substr(from + 6), " ");
    // Bitbucket Data Center: "... #12 in PROJ/repo from hotfix/x to main" names the branch
    // itself; GitHub: "... #12 from owner/hotfix/x" (or owner:branch) puts the owner first.
    const bool names_repository = subject.substr(0, from).find(" in ") != std::string_view::npos;
    const std::size_t owner_end = std::min(branch.find('/'), branch.find(':'));
    if (!names_repository && owner_end != std::string_view::npos) {
      branch = branch.substr(owner_end + 1);
    }
  } else if (StartsWith(subject, "Merged in ")) {
    branch = TakeUntil(subject.substr(10), " ");
  }
  if (branch.empty()) return std::nullopt;
  return std::string(branch);
}

}  // namespace leadline::engine
