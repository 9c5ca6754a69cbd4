#include "sources/contract/incident_references.h"

#include <array>
#include <cctype>

#include "common/text.h"

namespace leadline::sources {
namespace {

constexpr std::size_t kMaxValueBytes = 256;
constexpr std::size_t kMinHash = 7;
constexpr std::size_t kMaxHash = 40;

// Field names people give these fields, compared without case.
constexpr std::array<std::string_view, 4> kDeploymentNames = {"deployment", "deploy", "release",
                                                              "deployment id"};
constexpr std::array<std::string_view, 4> kCommitNames = {"commit", "commit sha", "sha",
                                                          "revision"};

template <std::size_t N>
bool IsOneOf(std::string_view name, const std::array<std::string_view, N>& names) {
  for (std::string_view candidate : names) {
    if (common::EqualsIgnoringCase(name, candidate)) return true;
  }
  return false;
}

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::size_t HexRun(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && std::isxdigit(static_cast<unsigned char>(text[n]))) ++n;
  return n;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A bare hash: the whole value.
std::string HashOf(std::string_view value) {
  const std::size_t run = HexRun(value);
  if (run != value.size() || run < kMinHash || run > kMaxHash) return "";
  return Lower(value);
}

}  // namespace

std::string CommitInLinks(std::string_view text) {
  // "/commits/<hash>" (Bitbucket Cloud and Data Center) and "/commit/<hash>" (GitLab's
  // "/-/commit/"), the hash ending the path segment.
  for (std::string_view marker : {std::string_view("/commits/"), std::string_view("/commit/")}) {
    std::size_t at = 0;
    while ((at = text.find(marker, at)) != std::string_view::npos) {
      const std::string_view rest = text.substr(at + marker.size());
      const std::size_t run = HexRun(rest);
      const bool ends = run == rest.size() || !std::isalnum(static_cast<unsigned char>(rest[run]));
      if (run >= kMinHash && run <= kMaxHash && ends) return Lower(rest.substr(0, run));
      at += marker.size();
    }
  }
  return "";
}

bool NamesDeploymentOrCommit(std::string_view name) {
  name = Trimmed(name);
  return IsOneOf(name, kDeploymentNames) || IsOneOf(name, kCommitNames);
}

void ReadIncidentReference(std::string_view name, std::string_view value,
                           model::Incident& incident) {
  value = Trimmed(value);
  if (value.empty() || value.size() > kMaxValueBytes) return;
  name = Trimmed(name);
  // A link to a commit names the commit, whatever the field is called.
  if (std::string linked = CommitInLinks(value); !linked.empty()) {
    if (incident.commit.empty()) incident.commit = std::move(linked);
    return;
  }
  if (IsOneOf(name, kDeploymentNames)) {
    if (incident.deployment.empty()) incident.deployment = std::string(value);
  } else if (IsOneOf(name, kCommitNames) && incident.commit.empty()) {
    incident.commit = HashOf(value);
  }
}

}  // namespace leadline::sources
