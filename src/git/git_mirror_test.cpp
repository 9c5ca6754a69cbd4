#include "git/git_mirror.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "git/git_repository.h"
#include "testing/git_script.h"

namespace leadline::git {
namespace {

using leadline::testing::GitScript;
using leadline::testing::TempDir;

std::map<std::string, std::string> RefsOf(const std::string& path) {
  auto repo = GitRepository::Open(path);
  EXPECT_TRUE(repo.ok()) << repo.status().message();
  const auto refs = repo->ReadRefs();
  EXPECT_TRUE(refs.ok()) << refs.status().message();
  std::map<std::string, std::string> out;
  for (const model::Ref& ref : *refs) {
    out[std::string(model::RefKindName(ref.kind)) + " " + ref.name] = ref.target_sha;
  }
  return out;
}

TEST(FetchMirror, CreatesTheMirrorThenFollowsNewMovedAndDeletedRefs) {
  TempDir dir;
  GitScript origin(dir.Child("origin"));
  const auto a = origin.Commit("first", "2024-01-01T10:00:00Z");
  origin.Branch("feature/x");
  origin.Tag("v1", a, "2024-01-01T11:00:00Z");
  const MirrorFetch fetch{"file://" + origin.path(), dir.Child("mirrors/acme/api.git"), "", {}, {}};

  auto created = FetchMirror(fetch);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->refs, 3u);
  EXPECT_EQ(RefsOf(fetch.path), (std::map<std::string, std::string>{
                                    {"branch feature/x", a}, {"branch main", a}, {"tag v1", a}}));

  const auto b = origin.Commit("second", "2024-01-02T10:00:00Z");
  origin.Git("branch -D feature/x");
  origin.Branch("feature/y");
  auto updated = FetchMirror(fetch);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(RefsOf(fetch.path), (std::map<std::string, std::string>{
                                    {"branch feature/y", b}, {"branch main", b}, {"tag v1", a}}));

  // The refs live in one packed-refs file, whatever their number.
  EXPECT_TRUE(std::filesystem::exists(fetch.path + "/packed-refs"));
  EXPECT_TRUE(std::filesystem::is_empty(fetch.path + "/refs/heads"));

  auto unchanged = FetchMirror(fetch);
  ASSERT_TRUE(unchanged.ok()) << unchanged.status().message();
  EXPECT_EQ(unchanged->received_bytes, 0u);
}

// A server killed while it created or updated a mirror leaves git's lock files (and, during
// creation, a mirror without HEAD); the next fetch is not stopped by them.
TEST(FetchMirror, WhatAKilledFetchLeftDoesNotStopTheNext) {
  TempDir dir;
  GitScript origin(dir.Child("origin"));
  const auto a = origin.Commit("first", "2024-01-01T10:00:00Z");
  const MirrorFetch fetch{"file://" + origin.path(), dir.Child("mirrors/acme/api.git"), "", {}, {}};
  std::filesystem::create_directories(fetch.path);
  std::ofstream(fetch.path + "/config.lock") << "[core]\n";  // killed in git_repository_init
  auto created = FetchMirror(fetch);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(RefsOf(fetch.path), (std::map<std::string, std::string>{{"branch main", a}}));

  const auto b = origin.Commit("second", "2024-01-02T10:00:00Z");
  for (const char* lock : {"/config.lock", "/packed-refs.lock", "/HEAD.lock"}) {
    std::ofstream(fetch.path + lock) << "x";  // killed while writing refs
  }
  auto updated = FetchMirror(fetch);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(RefsOf(fetch.path), (std::map<std::string, std::string>{{"branch main", b}}));
  EXPECT_FALSE(std::filesystem::exists(fetch.path + "/config.lock"));
}

TEST(FetchMirror, ExtraRefsAreMirroredWithTheirCommitsButAreNotBranches) {
  TempDir dir;
  GitScript origin(dir.Child("origin"));
  const auto base = origin.Commit("first", "2024-01-01T10:00:00Z");
  origin.Branch("feature/x");
  origin.Checkout("feature/x");
  const auto squashed = origin.Commit("work", "2024-01-01T11:00:00Z");
  origin.Checkout("main");
  // The pull request's branch is gone; its source commit stays under a pull request ref.
  origin.Git("update-ref refs/pull-requests/7/from " + squashed);
  origin.Git("update-ref refs/pull-requests/7/merge " + squashed);
  origin.Git("branch -D feature/x");
  MirrorFetch fetch{"file://" + origin.path(), dir.Child("mirror.git"), "", {}, {}};

  // Without the option, the pull request refs are not mirrored.
  auto plain_fetch = FetchMirror(fetch);
  ASSERT_TRUE(plain_fetch.ok()) << plain_fetch.status().message();
  EXPECT_EQ(plain_fetch->extra_refs, 0u);
  auto plain = GitRepository::Open(fetch.path);
  ASSERT_TRUE(plain.ok());
  const auto plain_commits = plain->ReadRefCommits("refs/pull-requests/*/from");
  ASSERT_TRUE(plain_commits.ok());
  EXPECT_TRUE(plain_commits->empty());

  fetch.extra_refs = {"refs/pull-requests/*/from"};
  auto fetched = FetchMirror(fetch);
  ASSERT_TRUE(fetched.ok()) << fetched.status().message();
  EXPECT_EQ(fetched->refs, 1u);  // main
  EXPECT_EQ(fetched->extra_refs, 1u);
  auto mirror = GitRepository::Open(fetch.path);
  ASSERT_TRUE(mirror.ok());
  const auto resolved = mirror->ResolveCommit(squashed);
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  const auto pull_request_commits = mirror->ReadRefCommits("refs/pull-requests/*/from");
  ASSERT_TRUE(pull_request_commits.ok()) << pull_request_commits.status().message();
  EXPECT_EQ(*pull_request_commits, std::vector<std::string>{squashed});
  // Not a branch, and the other pull request ref is not asked for.
  EXPECT_EQ(RefsOf(fetch.path), (std::map<std::string, std::string>{{"branch main", base}}));
  const auto merge_commits = mirror->ReadRefCommits("refs/pull-requests/*/merge");
  ASSERT_TRUE(merge_commits.ok());
  EXPECT_TRUE(merge_commits->empty());

  // Kept in packed-refs, so the next fetch has nothing to download.
  auto again = FetchMirror(fetch);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->received_bytes, 0u);
  EXPECT_EQ(again->extra_refs, 1u);
}

TEST(FetchMirror, AnExtraRefPatternWithoutOneStarIsRefused) {
  TempDir dir;
  for (const std::string pattern : {"refs/pull-requests/1/from", "pull-requests/*/from",
                                    "refs/*/pull-requests/*", "refs/a b/*"}) {
    auto result =
        FetchMirror({"file://" + dir.Child("origin"), dir.Child("mirror.git"), "", {}, {pattern}});
    ASSERT_FALSE(result.ok()) << pattern;
    EXPECT_EQ(result.status().code(), common::StatusCode::kInvalidArgument) << pattern;
    EXPECT_NE(result.status().message().find("cannot mirror the refs '" + pattern + "'"),
              std::string::npos)
        << result.status().message();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.Child("mirror.git")));
}

TEST(FetchMirror, AMissingRepositoryIsNamed) {
  TempDir dir;
  auto result =
      FetchMirror({"file://" + dir.Child("nowhere"), dir.Child("mirror.git"), "", {}, {}});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("git fetch of file://" + dir.Child("nowhere")),
            std::string::npos)
      << result.status().message();
}

}  // namespace
}  // namespace leadline::git
