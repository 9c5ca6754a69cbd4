// Test support: builds an engine Snapshot from named commits, so that engine tests can write
// histories as "A", "B", "merge" instead of hex ids. Tests only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/snapshot.h"
#include "testing/hex_id.h"

namespace leadline::testing {

class SnapshotScript {
 public:
  explicit SnapshotScript(std::vector<std::string> hotfix_prefixes = {"hotfix/", "hot-fix/",
                                                                      "fix/"})
      : builder_(std::move(hotfix_prefixes)) {}

  // Commits `name` at `committed`; the author time defaults to it, the message to
  // "Change <name>".
  void Commit(const std::string& name, const std::vector<std::string>& parents,
              common::UnixSeconds committed,
              std::optional<common::UnixSeconds> authored = std::nullopt,
              std::string message = "") {
    if (message.empty()) message = "Change " + name;
    std::string parent_hex;
    for (const std::string& p : parents) {
      ASSERT_TRUE(ids_.contains(p)) << "add " << p << " before " << name;
      parent_hex += (parent_hex.empty() ? "" : " ") + ids_.at(p);
    }
    const std::string hex = HexId(ids_.size());
    ids_.emplace(name, hex);
    subjects_.emplace(name, message.substr(0, message.find('\n')));
    ASSERT_TRUE(
        builder_
            .Add({hex, parent_hex, authored.value_or(committed), committed, message, author_email_})
            .ok());
  }
  // The author e-mail of the commits that follow (none by default).
  void AuthoredBy(std::string email) { author_email_ = std::move(email); }
  void Commit(const std::string& name, const std::vector<std::string>& parents,
              common::UnixSeconds committed, const std::string& message) {
    Commit(name, parents, committed, std::nullopt, message);
  }

  // Commits git's default revert message of `reverted`, naming its full sha.
  void Revert(const std::string& name, const std::vector<std::string>& parents,
              common::UnixSeconds t, const std::string& reverted) {
    Commit(name, parents, t,
           "Revert \"" + subjects_.at(reverted) + "\"\n\nThis reverts commit " + Sha(reverted) +
               ".\n");
  }

  void Build() {
    auto snapshot = builder_.Build();
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    snapshot_ = std::move(snapshot).value();
  }

  const engine::Snapshot& snapshot() const { return snapshot_; }
  const std::string& Sha(const std::string& name) const { return ids_.at(name); }
  // The graph index of `name` (after Build()).
  engine::CommitIndex operator[](const std::string& name) const {
    return snapshot_.graph.FindByPrefix(ids_.at(name));
  }

 private:
  engine::SnapshotBuilder builder_;
  engine::Snapshot snapshot_;
  std::map<std::string, std::string> ids_;
  std::map<std::string, std::string> subjects_;
  std::string author_email_;
};

}  // namespace leadline::testing
