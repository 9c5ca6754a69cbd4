#include "sources/contract/incident_references.h"

#include <gtest/gtest.h>

namespace leadline::sources {
namespace {

model::Incident Read(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  model::Incident incident;
  for (const auto& [name, value] : fields) ReadIncidentReference(name, value, incident);
  return incident;
}

TEST(IncidentReferencesTest, ADeploymentFieldNamesTheDeploymentWhateverItsCase) {
  EXPECT_EQ(Read({{"Deployment", " v2.4.1 "}}).deployment, "v2.4.1");
  EXPECT_EQ(Read({{"release", "#186"}}).deployment, "#186");
  EXPECT_EQ(Read({{"Customer", "v2.4.1"}}).deployment, "");
  // The first field that names one wins.
  EXPECT_EQ(Read({{"Deployment", "v1"}, {"Release", "v2"}}).deployment, "v1");
}

TEST(IncidentReferencesTest, ACommitFieldTakesABareHashOrALink) {
  EXPECT_EQ(Read({{"Commit", "3F2A9C1"}}).commit, "3f2a9c1");
  EXPECT_EQ(Read({{"commit sha", "3f2a9c1d"}}).commit, "3f2a9c1d");
  EXPECT_EQ(Read({{"Commit", "3f2a9c"}}).commit, "") << "six digits are too few";
  EXPECT_EQ(Read({{"Commit", "not-a-hash"}}).commit, "");
  EXPECT_EQ(Read({{"Commit", "https://bitbucket.org/acme/api/commits/3f2a9c1e"}}).commit,
            "3f2a9c1e");
}

TEST(IncidentReferencesTest, ALinkToACommitInAnyFieldNamesTheCommit) {
  EXPECT_EQ(
      Read({{"Notes", "caused by https://gitlab.com/acme/api/-/commit/abcdef0123 I think"}}).commit,
      "abcdef0123");
  EXPECT_EQ(Read({{"Link", "https://git.acme.io/projects/ACME/repos/api/commits/0123456789abcdef"}})
                .commit,
            "0123456789abcdef");
  // A deployment field holding a commit link names the commit, not a deployment.
  const model::Incident linked =
      Read({{"Deployment", "https://bitbucket.org/a/b/commits/abcdef1"}});
  EXPECT_EQ(linked.deployment, "");
  EXPECT_EQ(linked.commit, "abcdef1");
  // A path segment that goes on after the hex digits is no hash.
  EXPECT_EQ(CommitInLinks("https://bitbucket.org/acme/api/commits/abcdef0xyz"), "");
  EXPECT_EQ(CommitInLinks("/commits/abc"), "");
  EXPECT_EQ(CommitInLinks("see /commits/abc and /commit/1234567"), "1234567");
}

TEST(IncidentReferencesTest, FieldNamesThatNameACause) {
  EXPECT_TRUE(NamesDeploymentOrCommit("Deployment"));
  EXPECT_TRUE(NamesDeploymentOrCommit(" commit sha "));
  EXPECT_FALSE(NamesDeploymentOrCommit("Environment"));
}

TEST(IncidentReferencesTest, LongValuesAreLeftAlone) {
  const std::string long_value(300, 'a');
  EXPECT_EQ(Read({{"Deployment", long_value}}).deployment, "");
  EXPECT_EQ(Read({{"Commit", long_value}}).commit, "");
}

}  // namespace
}  // namespace leadline::sources
