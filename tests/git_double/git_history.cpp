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

void GitHistory::GrowTo(int count, const std::function<HistoryChange(int number)>& plan) {
  std::lock_guard lock(mutex_);
  const int first = static_cast<int>(changes_.size()) + 1;
  if (first > count) return;
  std::ostringstream stream;
  int main_tip = main_tips_.back().second;
  for (int number = first; number <= count; ++number) {
    const HistoryChange change = plan(number);
    ChangeCommits commits{change.landing, 2 * number, main_tip, 0};
    // Closed changes' branches are deleted: their commits hang off a ref no one fetches.
    WriteCommit(
        stream,
        change.landing == Landing::kOpen ? "refs/heads/" + change.branch : "refs/double/closed",
        commits.source, change.committed, change.message, {main_tip}, number, change.author);
    // As Bitbucket Data Center does, every change keeps its source commit under a ref of its
    // own, whatever became of its branch.
    stream << "reset refs/pull-requests/" << number << "/from\nfrom :" << commits.source << "\n\n";
    if (change.landing == Landing::kFastForward) {
      stream << "reset refs/heads/main\nfrom :" << commits.source << "\n\n";
      commits.merge = commits.source;
    } else if (change.landing == Landing::kMergeCommit || change.landing == Landing::kSquash) {
      commits.merge = 2 * number + 1;
      std::vector<int> parents = {main_tip};
      if (change.landing == Landing::kMergeCommit) parents.push_back(commits.source);
      WriteCommit(stream, "refs/heads/main", commits.merge, change.landed, change.landing_message,
                  parents, number, change.author);
    }
    if (commits.merge != 0) {
      main_tip = commits.merge;
      main_tips_.emplace_back(change.landed, main_tip);
    }
    changes_.push_back(commits);
  }
  Import(stream.str());
}

std::vector<std::string> GitHistory::HidePullRequestRefs() {
  return {"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=transfer.hideRefs",
          "GIT_CONFIG_VALUE_0=refs/pull-requests"};
}

int GitHistory::size() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(changes_.size());
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

const GitHistory::ChangeCommits& GitHistory::Commits(int change) const {
  return changes_.at(static_cast<std::size_t>(change - 1));
}

std::string GitHistory::SourceCommit(int change) const {
  std::lock_guard lock(mutex_);
  return ShaOf(Commits(change).source);
}

std::string GitHistory::DestinationCommit(int change) const {
  std::lock_guard lock(mutex_);
  return ShaOf(Commits(change).destination);
}

std::string GitHistory::MergeCommit(int change) const {
  std::lock_guard lock(mutex_);
  const int mark = Commits(change).merge;
  return mark == 0 ? "" : ShaOf(mark);
}

std::vector<std::string> GitHistory::MergeParents(int change) const {
  std::lock_guard lock(mutex_);
  const ChangeCommits& commits = Commits(change);
  if (commits.landing == Landing::kMergeCommit) {
    return {ShaOf(commits.destination), ShaOf(commits.source)};
  }
  return {ShaOf(commits.destination)};
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
