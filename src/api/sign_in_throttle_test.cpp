#include "api/sign_in_throttle.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

constexpr common::UnixSeconds kNow = 1'800'000'000;

TEST(SignInThrottleTest, AClientStartsAtMostSoManyInAWindowAndOthersAreNotHeldUp) {
  SignInThrottle throttle(3, 600);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(throttle.Start("192.0.2.7", kNow + i), std::nullopt);
  EXPECT_EQ(throttle.Start("192.0.2.7", kNow + 10), 590);
  EXPECT_EQ(throttle.Start("192.0.2.8", kNow + 10), std::nullopt);  // another client
  // The window ends 600 s after its first start.
  EXPECT_EQ(throttle.Start("192.0.2.7", kNow + 599), 1);
  EXPECT_EQ(throttle.Start("192.0.2.7", kNow + 600), std::nullopt);
}

TEST(SignInThrottleTest, AnIpv6HostCountsByItsSlash64) {
  EXPECT_EQ(SignInThrottle::ClientKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(SignInThrottle::ClientKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(SignInThrottle::ClientKey("192.0.2.7"), "192.0.2.7");
  SignInThrottle throttle(2, 600);
  EXPECT_EQ(throttle.Start("2001:db8:1:2::1", kNow), std::nullopt);
  EXPECT_EQ(throttle.Start("2001:db8:1:2::ffff", kNow), std::nullopt);
  EXPECT_TRUE(throttle.Start("2001:db8:1:2:9:9:9:9", kNow).has_value());
  EXPECT_EQ(throttle.Start("2001:db8:1:3::1", kNow), std::nullopt);
}

TEST(SignInThrottleTest, TheTrackerIsBoundedAndZeroMeansNoLimit) {
  SignInThrottle bounded(1, 600, 2);
  EXPECT_EQ(bounded.Start("192.0.2.1", kNow), std::nullopt);
  EXPECT_EQ(bounded.Start("192.0.2.2", kNow), std::nullopt);
  // Full of live windows: a third client passes untracked, every time.
  EXPECT_EQ(bounded.Start("192.0.2.3", kNow), std::nullopt);
  EXPECT_EQ(bounded.Start("192.0.2.3", kNow), std::nullopt);
  // Once their windows end, the third is tracked like the others.
  EXPECT_EQ(bounded.Start("192.0.2.3", kNow + 600), std::nullopt);
  EXPECT_TRUE(bounded.Start("192.0.2.3", kNow + 601).has_value());

  SignInThrottle off(0, 600);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.Start("192.0.2.1", kNow), std::nullopt);
}

}  // namespace
}  // namespace leadline::api
