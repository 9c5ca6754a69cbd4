#include "model/provider.h"

#include <gtest/gtest.h>

namespace leadline::model {
namespace {

TEST(ProviderTest, EveryNameReadsBackAsItsProvider) {
  for (const Provider provider : kProviders) {
    EXPECT_EQ(ParseProvider(ProviderName(provider)), provider) << ProviderName(provider);
  }
}

TEST(ProviderTest, AnUnknownNameIsNoProvider) {
  // Before providers were typed, anything not "bitbucket-dc" was read as Bitbucket Cloud.
  EXPECT_EQ(ParseProvider("gitlab.com"), std::nullopt);
  EXPECT_EQ(ParseProvider("Bitbucket-Cloud"), std::nullopt);
  EXPECT_EQ(ParseProvider(""), std::nullopt);
}

TEST(ProviderTest, IncidentToolsAreConnectableAndHaveNoRepositories) {
  EXPECT_EQ(ParseProvider("incidentio"), Provider::kIncidentIo);
  EXPECT_STREQ(ProviderTitle(Provider::kIncidentIo), "incident.io");
  EXPECT_EQ(ParseProvider("jsm"), Provider::kJsm);
  EXPECT_EQ(ParseProvider("opsgenie"), Provider::kOpsgenie);
  EXPECT_STREQ(ProviderTitle(Provider::kJsm), "Jira Service Management");
  for (const Provider tool :
       {Provider::kPagerDuty, Provider::kIncidentIo, Provider::kJsm, Provider::kOpsgenie}) {
    EXPECT_TRUE(IsConnectable(tool)) << ProviderName(tool);
    EXPECT_TRUE(IsIncidentTool(tool)) << ProviderName(tool);
  }
  EXPECT_FALSE(IsIncidentTool(Provider::kGitLab));
}

TEST(ProviderTest, KeysNameTheProviderAndTheExternalId) {
  EXPECT_EQ(ProviderKey(Provider::kGitLab, "1234"), "gitlab:1234");
  EXPECT_EQ(ProviderKey(Provider::kPush, "deploy-42"), "push:deploy-42");
  EXPECT_NE(ProviderKey(Provider::kGitLab, "7"), ProviderKey(Provider::kPush, "7"));
}

}  // namespace
}  // namespace leadline::model
