#include "engine/commit_messages.h"

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
  std::string_view subject = TakeUntil(message, "\n");
  while (!subject.empty() && (subject.back() == '\r' || subject.back() == ' ')) {
    subject.remove_suffix(1);
  }
  return subject;
}

std::optional<RevertReference> ParseRevert(std::string_view message) {
  RevertReference ref;
  constexpr std::string_view kMarker = "This reverts commit ";
  if (const std::size_t at = message.find(kMarker); at != std::string_view::npos) {
    std::string_view hex = message.substr(at + kMarker.size());
    hex = hex.substr(0, hex.find_first_not_of("0123456789abcdefABCDEF"));
    if (hex.size() >= 4 && hex.size() <= 40) ref.sha = std::string(hex);
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
  const std::string_view subject = Subject(message);
  std::string_view branch;
  if (StartsWith(subject, "Merge branch '") || StartsWith(subject, "Merge remote-tracking branch '")) {
    const std::string_view rest = subject.substr(subject.find('\'') + 1);
    branch = TakeUntil(rest, "'");
    if (StartsWith(subject, "Merge remote-tracking") && branch.find('/') != std::string_view::npos) {
      branch = branch.substr(branch.find('/') + 1);  // drop the remote's name
    }
  } else if (StartsWith(subject, "Merge pull request #")) {
    const std::size_t from = subject.find(" from ");
    if (from == std::string_view::npos) return std::nullopt;
    branch = TakeUntil(subject.substr(from + 6), " ");
    const std::size_t slash = branch.find('/');  // "owner/branch" or "owner:branch"
    const std::size_t colon = branch.find(':');
    const std::size_t owner_end = std::min(slash, colon);
    if (owner_end != std::string_view::npos) branch = branch.substr(owner_end + 1);
  } else if (StartsWith(subject, "Merged in ")) {
    branch = TakeUntil(subject.substr(10), " ");
  }
  if (branch.empty()) return std::nullopt;
  return std::string(branch);
}

}  // namespace leadline::engine
