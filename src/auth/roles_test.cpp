#include "auth/roles.h"

#include <gtest/gtest.h>

namespace leadline::auth {
namespace {

const std::vector<RoleRule> kRules = {
    {"/payments", {"payments"}, AccessLevel::kViewer},
    {"a1b2c3d4-0000-4000-8000-000000000001", {"platform", "payments"}, AccessLevel::kViewer},
    {"leadline-admins", {"*"}, AccessLevel::kAdmin},
};

TEST(RolesTest, APersonHoldsTheUnionOfTheirRolesAtTheHighestLevel) {
  const auto one = ResolveRoles({"/payments", "/other"}, kRules);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->projects, std::vector<std::string>{"payments"});
  EXPECT_EQ(one->level, AccessLevel::kViewer);
  EXPECT_EQ(one->roles, std::vector<std::string>{"/payments"});

  const auto two = ResolveRoles({"a1b2c3d4-0000-4000-8000-000000000001", "/payments"}, kRules);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->projects, (std::vector<std::string>{"payments", "platform"}));

  const auto admin = ResolveRoles({"/payments", "leadline-admins"}, kRules);
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->projects.empty());  // every project
  EXPECT_EQ(admin->level, AccessLevel::kAdmin);
  EXPECT_EQ(ScopesOf(admin->level), (std::vector<std::string>{"read", "write:events", "admin"}));
  EXPECT_EQ(ScopesOf(AccessLevel::kViewer), std::vector<std::string>{"read"});
}

TEST(RolesTest, NoMatchingValueIsNoAccessAndValuesCompareExactly) {
  EXPECT_FALSE(ResolveRoles({}, kRules).has_value());
  EXPECT_FALSE(ResolveRoles({"/Payments", "/payments/backend", "payments"}, kRules).has_value());
  EXPECT_FALSE(ResolveRoles({"A1B2C3D4-0000-4000-8000-000000000001"}, kRules).has_value());
}

TEST(RolesTest, RulesAreChecked) {
  EXPECT_TRUE(CheckRoleRules(kRules).ok());
  EXPECT_NE(CheckRoleRules({{"", {"payments"}, AccessLevel::kViewer}}).message().find("no value"),
            std::string::npos);
  EXPECT_NE(CheckRoleRules({{"g", {}, AccessLevel::kViewer}}).message().find("no projects"),
            std::string::npos);
  EXPECT_NE(CheckRoleRules({{"g", {"*", "a"}, AccessLevel::kViewer}}).message().find("beside"),
            std::string::npos);
  EXPECT_NE(CheckRoleRules({{"g", {"a"}, AccessLevel::kViewer}, {"g", {"b"}, AccessLevel::kAdmin}})
                .message()
                .find("twice"),
            std::string::npos);
  EXPECT_EQ(AccessLevelNamed("admin"), AccessLevel::kAdmin);
  EXPECT_FALSE(AccessLevelNamed("owner").has_value());
}

}  // namespace
}  // namespace leadline::auth
