// Server slots: two live holders never share a name; a slot let go (its server stopped or
// killed) gives the next server the same name, id included; a folder that cannot be made is an
// error naming it.
#include "app/server_slot.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/git_script.h"

namespace leadline::app {
namespace {

TEST(ServerSlotTest, LiveServersHoldDistinctSlotsAndTheNextServerTakesAFreedOneWithItsName) {
  testing::TempDir dir;
  const std::string servers = dir.Child("servers");
  auto first = ServerSlot::Take(servers, "build-7");
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = ServerSlot::Take(servers, "build-7");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ((*first)->number(), 0);
  EXPECT_EQ((*second)->number(), 1);
  EXPECT_NE((*first)->owner(), (*second)->owner());
  EXPECT_TRUE((*first)->owner().starts_with("build-7:slot-0:")) << (*first)->owner();
  EXPECT_EQ((*first)->owner().size(), std::string("build-7:slot-0:").size() + 16);

  const std::string name = (*first)->owner();
  first->reset();  // the first server ends
  auto again = ServerSlot::Take(servers, "build-7");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ((*again)->owner(), name);

  // Another data directory makes other ids, though the host and slot are the same.
  testing::TempDir other;
  auto elsewhere = ServerSlot::Take(other.Child("servers"), "build-7");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE((*elsewhere)->owner().starts_with("build-7:slot-0:"));
  EXPECT_NE((*elsewhere)->owner(), name);
}

TEST(ServerSlotTest, AFolderThatCannotBeMadeIsAnErrorNamingIt) {
  testing::TempDir dir;
  std::ofstream(dir.Child("file")) << "x";
  const auto taken = ServerSlot::Take(dir.Child("file") + "/servers", "h");
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(taken.status().message().find(dir.Child("file") + "/servers"), std::string::npos)
      << taken.status().message();
}

}  // namespace
}  // namespace leadline::app
