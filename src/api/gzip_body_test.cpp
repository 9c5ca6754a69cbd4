#include "api/gzip_body.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/raw_connection.h"

namespace leadline::api {
namespace {

using testing::Gzip;

TEST(InflateGzipTest, InflatesABodyWithinTheLimit) {
  const std::string body = R"([{"id": "d-1", "repository": "acme/api"}])";
  const InflatedBody inflated = InflateGzip(Gzip(body), 1024);
  ASSERT_EQ(inflated.outcome, InflatedBody::Outcome::kOk);
  EXPECT_EQ(inflated.body, body);
}

TEST(InflateGzipTest, ABodyOfExactlyTheLimitIsAccepted) {
  const std::string body(4096, 'a');
  EXPECT_EQ(InflateGzip(Gzip(body), 4096).outcome, InflatedBody::Outcome::kOk);
  EXPECT_EQ(InflateGzip(Gzip(body), 4095).outcome, InflatedBody::Outcome::kTooLarge);
}

TEST(InflateGzipTest, ABombStopsAtTheLimitWithoutInflatingTheRest) {
  // 1 GiB of zeros compresses to about 1 MB; 64 MiB to about 64 KB.
  const std::string bomb = Gzip(std::string(64 << 20, '\0'));
  ASSERT_LT(bomb.size(), 100'000u);
  const InflatedBody inflated = InflateGzip(bomb, 1 << 20);
  EXPECT_EQ(inflated.outcome, InflatedBody::Outcome::kTooLarge);
  EXPECT_TRUE(inflated.body.empty());
}

TEST(InflateGzipTest, CorruptTruncatedAndTrailingInputIsRefused) {
  const std::string good = Gzip("hello, world");
  EXPECT_EQ(InflateGzip("not gzip at all", 1024).outcome, InflatedBody::Outcome::kCorrupt);
  EXPECT_EQ(InflateGzip(good.substr(0, good.size() - 4), 1024).outcome,
            InflatedBody::Outcome::kCorrupt);
  EXPECT_EQ(InflateGzip(good + "junk", 1024).outcome, InflatedBody::Outcome::kCorrupt);
  EXPECT_EQ(InflateGzip("", 1024).outcome, InflatedBody::Outcome::kCorrupt);
}

}  // namespace
}  // namespace leadline::api
