#include "git/git_mirror.h"

#include <gtest/gtest.h>

#include <filesystem>
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
  const MirrorFetch fetch{"file://" + origin.path(), dir.Child("mirrors/acme/api.git"), "", {}};

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

TEST(FetchMirror, AMissingRepositoryIsNamed) {
  TempDir dir;
  auto result = FetchMirror({"file://" + dir.Child("nowhere"), dir.Child("mirror.git"), "", {}});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("git fetch of file://" + dir.Child("nowhere")),
            std::string::npos)
      << result.status().message();
}

}  // namespace
}  // namespace leadline::git
