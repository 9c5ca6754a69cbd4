#include "common/base64.h"

#include <gtest/gtest.h>

namespace leadline::common {
namespace {

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(Base64Url, EncodesUrlSafeWithoutPaddingAndRoundTrips) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("foob"), "Zm9vYg");
  EXPECT_EQ(Base64Url(std::string("\xff\x00\xfe", 3)), "_wD-");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    EXPECT_EQ(DecodeBase64Url(Base64Url(all.substr(0, n))), all.substr(0, n));
  }
}

TEST(Base64Url, DecodingIsStrict) {
  EXPECT_EQ(DecodeBase64Url("Zm9vYg"), "foob");
  EXPECT_EQ(DecodeBase64Url("_wD-"), std::string("\xff\x00\xfe", 3));
  EXPECT_EQ(DecodeBase64Url("Zm9vYg=="), std::nullopt);  // padding
  EXPECT_EQ(DecodeBase64Url("/wD+"), std::nullopt);      // the standard alphabet
  EXPECT_EQ(DecodeBase64Url("Zm9v Yg"), std::nullopt);   // whitespace
  EXPECT_EQ(DecodeBase64Url("Zm9vY"), std::nullopt);     // a length no encoding has
  EXPECT_EQ(DecodeBase64Url("Zh"), std::nullopt);        // "f" with a trailing bit set
}

}  // namespace
}  // namespace leadline::common
