#include "git_history.h"

#include <stdio.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace leadline::testing {
namespace {

void Run(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// One fast-import commit with one new file.
void WriteCommit(std::ostream& out, const std::string& ref, int mark, std::int64_t at,
                 const std::string& message, const std::vector<int>& parents, int file,
                 const Person& person) {
  const std::string signature = person.name + " <" + person.email + ">";
  out << "commit " << ref << "\nmark :" << mark << "\n";
  out << "author " << signature << " " << at << " +0000\n";
  out << "committer " << signature << " " << at << " +0000\n";
  out << "data " << message.size() << "\n" << message << "\n";
  for (std::size_t i = 0; i < parents.size(); ++i) {
    out << (i == 0 ? "from :" : "merge :") << parents[i] << "\n";
  }
  const std::string content = "change " + std::to_string(file) + "\n";
  out << "M 644 inline changes/" << file << ".txt\ndata " << content.size() << "\n"
      << content << "\n";
}

bool Squashed(int pull_request) { return pull_request % 6 == 0; }

}  // namespace

GitHistory::GitHistory(std::int64_t start) {
  std::string pattern = (std::filesystem::temp_directory_path() / "leadline-git-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
  Run("git init -q --bare -b main '" + root_ + "/" + kRepositoryName + "'");
  std::ostringstream stream;
  WriteCommit(stream, "refs/heads/main", 1, start - 86400, "Initial commit", {}, 0,
              {1, "Dev Eloper", "devnick", "dev@example.com"});
  Import(stream.str());
  main_tips_.emplace_back(INT64_MIN, 1);
}

GitHistory::~GitHistory() { std::filesystem::remove_all(root_); }

void GitHistory::GrowTo(const CloudWorkspaceShape& shape) {
  std::lock_guard lock(mutex_);
  const int first = static_cast<int>(pull_requests_.size()) + 1;
  if (first > shape.pull_requests) return;
  std::ostringstream stream;
  int main_tip = main_tips_.back().second;
  for (int number = first; number <= shape.pull_requests; ++number) {
    const std::int64_t created = PullRequestCreatedOn(shape, number);
    const std::string state = PullRequestState(number);
    const std::string name = std::to_string(number);
    PullRequestCommits commits{2 * number, main_tip, 0};
    const Person author = PullRequestAuthor(shape, number);
    // Closed pull requests' branches are deleted: their commits hang off a ref no one fetches.
    WriteCommit(
        stream,
        state == "OPEN" ? "refs/heads/" + PullRequestBranch(shape, number) : "refs/double/closed",
        commits.source, created - shape.pace / 6, PullRequestCommitMessage(shape, number),
        {main_tip}, number, author);
    if (state == "MERGED") {
      const std::int64_t merged = PullRequestClosedOn(shape, number);
      commits.merge = 2 * number + 1;
      std::vector<int> parents = {main_tip};
      if (!Squashed(number)) parents.push_back(commits.source);
      WriteCommit(stream, "refs/heads/main", commits.merge, merged, MergeMessage(shape, number),
                  parents, number, author);
      main_tip = commits.merge;
      main_tips_.emplace_back(merged, main_tip);
    }
    pull_requests_.push_back(commits);
  }
  Import(stream.str());
}

// Runs fast-import over `stream`, keeping marks across runs, then reads the marks' hashes.
void GitHistory::Import(const std::string& stream) {
  const std::string import = "git -C '" + root_ + "/" + kRepositoryName +
                             "' fast-import --quiet --force --import-marks-if-exists=marks "
                             "--export-marks=marks";
  FILE* pipe = popen(import.c_str(), "w");
  if (pipe == nullptr) throw std::runtime_error("cannot run git fast-import");
  fwrite(stream.data(), 1, stream.size(), pipe);
  if (pclose(pipe) != 0) throw std::runtime_error("git fast-import failed");
  ReadMarks();
}

void GitHistory::ReadMarks() {
  std::ifstream marks(root_ + "/" + kRepositoryName + "/marks");
  std::string mark;
  std::string sha;
  while (marks >> mark >> sha) {
    const auto index = static_cast<std::size_t>(std::stoi(mark.substr(1)));
    if (shas_.size() <= index) shas_.resize(index + 1);
    shas_[index] = sha;
  }
}

std::string GitHistory::ShaOf(int mark) const { return shas_.at(static_cast<std::size_t>(mark)); }

std::string GitHistory::SourceCommit(int pull_request) const {
  std::lock_guard lock(mutex_);
  return ShaOf(pull_requests_.at(static_cast<std::size_t>(pull_request - 1)).source);
}

std::string GitHistory::DestinationCommit(int pull_request) const {
  std::lock_guard lock(mutex_);
  return ShaOf(pull_requests_.at(static_cast<std::size_t>(pull_request - 1)).destination);
}

std::string GitHistory::MergeCommit(int pull_request) const {
  std::lock_guard lock(mutex_);
  const int mark = pull_requests_.at(static_cast<std::size_t>(pull_request - 1)).merge;
  return mark == 0 ? "" : ShaOf(mark);
}

std::vector<std::string> GitHistory::MergeParents(int pull_request) const {
  std::lock_guard lock(mutex_);
  const PullRequestCommits& commits = pull_requests_.at(static_cast<std::size_t>(pull_request - 1));
  if (Squashed(pull_request)) return {ShaOf(commits.destination)};
  return {ShaOf(commits.destination), ShaOf(commits.source)};
}

std::string GitHistory::MergeMessage(const CloudWorkspaceShape& shape, int pull_request) {
  const std::string number = "(pull request #" + std::to_string(pull_request) + ")";
  const std::string title = PullRequestTitle(shape, pull_request);
  if (Squashed(pull_request)) return title + " " + number;
  return "Merged in " + PullRequestBranch(shape, pull_request) + " " + number + "\n\n" + title;
}

std::string GitHistory::MainTipAt(std::int64_t at) const {
  std::lock_guard lock(mutex_);
  int mark = main_tips_.front().second;
  for (const auto& [since, tip] : main_tips_) {
    if (since > at) break;
    mark = tip;
  }
  return ShaOf(mark);
}

}  // namespace leadline::testing
