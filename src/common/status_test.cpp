#include "common/status.h"

#include <gtest/gtest.h>

namespace leadline::common {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidArgument(std::to_string(n) + " is odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  LEADLINE_ASSIGN_OR_RETURN(const int half, Half(n));
  return Half(half);
}

Status CheckEven(int n) {
  LEADLINE_RETURN_IF_ERROR(Half(n).status());
  return Status::Ok();
}

TEST(Status, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  const Status error = Status::NotFound("no such tag");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.code(), StatusCode::kNotFound);
  EXPECT_EQ(error.WithContext("report").message(), "report: no such tag");
  EXPECT_EQ(Status::Ok().WithContext("report").message(), "");
}

TEST(Result, CarriesValueOrStatus) {
  EXPECT_EQ(*Quarter(8), 2);
  const auto odd_half = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(odd_half.ok());
  EXPECT_EQ(odd_half.status().message(), "3 is odd");
  EXPECT_FALSE(Quarter(5).ok());
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(7).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace leadline::common
