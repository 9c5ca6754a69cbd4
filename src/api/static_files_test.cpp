#include "api/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

namespace leadline::api {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        std::filesystem::temp_directory_path() /
        ("leadline-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root_ / "assets");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(root_ / relative, std::ios::binary) << text;
  }

  std::filesystem::path root_;
};

TEST_F(StaticFilesTest, WithoutAnIndexTheDashboardIsNotBuilt) {
  Write("assets/app.js", "x");
  const auto files = StaticFiles::Load(root_);
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.status().message().find("npm ci && npm run build"), std::string::npos);
}

TEST_F(StaticFilesTest, ServesFilesWithTheirTypeAndPageRoutesWithTheIndex) {
  Write("index.html", "<html>page</html>");
  Write("assets/app-1a2b.js", "console.log(1)");
  Write("assets/app-1a2b.css", "body{}");
  const auto files = StaticFiles::Load(root_);
  ASSERT_TRUE(files.ok()) << files.status().message();
  EXPECT_EQ(files->size(), 3u);

  const auto script = files->Answer("/assets/app-1a2b.js");
  ASSERT_TRUE(script.has_value());
  EXPECT_EQ(script->body, "console.log(1)");
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  const auto header = [](const HttpResponse& r, const std::string& name) {
    for (const auto& [key, value] : r.headers) {
      if (key == name) return value;
    }
    return std::string();
  };
  EXPECT_NE(header(*script, "Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(files->Answer("/assets/app-1a2b.css")->content_type, "text/css; charset=utf-8");

  for (const std::string page : {"/", "/integrations", "/some/deep/view"}) {
    const auto index = files->Answer(page);
    ASSERT_TRUE(index.has_value()) << page;
    EXPECT_EQ(index->body, "<html>page</html>");
    EXPECT_EQ(header(*index, "Cache-Control"), "no-cache");
    EXPECT_NE(header(*index, "Content-Security-Policy").find("default-src 'self'"),
              std::string::npos);
  }
}

TEST_F(StaticFilesTest, UnknownFilesApiPathsAndEscapesAreNotFound) {
  Write("index.html", "<html></html>");
  const auto files = StaticFiles::Load(root_);
  ASSERT_TRUE(files.ok());
  EXPECT_FALSE(files->Answer("/assets/missing.js").has_value());
  EXPECT_FALSE(files->Answer("/v1/unknown").has_value());
  EXPECT_FALSE(files->Answer("/../static_files_test.cpp").has_value());
  // Only the files read at start exist: a path out of the folder is a page route at most.
  EXPECT_EQ(files->Answer("/assets/../../etc/passwd")->body, "<html></html>");
}

}  // namespace
}  // namespace leadline::api
