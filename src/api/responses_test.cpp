#include "api/responses.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace leadline::api {
namespace {

TEST(ResponsesTest, FieldErrorsListEveryFieldAnd422OrNotJson400) {
  const HttpResponse wrong =
      FieldErrorsResponse({{"[0].commit", "must be a commit hash"}, {"[1].id", "is required"}});
  EXPECT_EQ(wrong.status, 422);
  const auto body = nlohmann::json::parse(wrong.body);
  EXPECT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][1]["field"], "[1].id");
  EXPECT_EQ(FieldErrorsResponse({{"", "is not valid JSON"}}).status, 400);
}

TEST(ResponsesTest, StatusesMapToHttp) {
  EXPECT_EQ(HttpStatusOf(common::Status::Unauthenticated("x")), 401);
  EXPECT_EQ(HttpStatusOf(common::Status::PermissionDenied("x")), 403);
  EXPECT_EQ(HttpStatusOf(common::Status::NotFound("x")), 404);
  EXPECT_EQ(HttpStatusOf(common::Status::InvalidArgument("x")), 400);
  EXPECT_EQ(HttpStatusOf(common::Status::DatabaseError("x")), 500);
  const HttpResponse error = ErrorResponse(404, "no \"repo\"");
  EXPECT_EQ(nlohmann::json::parse(error.body)["error"], "no \"repo\"");
}

}  // namespace
}  // namespace leadline::api
