#include "api/persisted_queries.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace leadline::api {
namespace {

const std::string kQuery = "{ viewer { tokenName } }";

TEST(PersistedQueriesTest, TheHashIsTheDocumentsSha256InHex) {
  // echo -n '{ viewer { tokenName } }' | sha256sum
  EXPECT_EQ(DocumentHash(kQuery),
            "1db0f3851ee4db3491afc42e100d31b4a99bb41d78659865ff51577c6449c53d");
  EXPECT_EQ(DocumentHash("").substr(0, 16), "e3b0c44298fc1c14");  // SHA-256 of nothing
}

TEST(PersistedQueriesTest, AutomaticKeepsADocumentSentWithItsHash) {
  PersistedQueries queries;
  const std::string hash = DocumentHash(kQuery);
  PersistedQueryError error;
  EXPECT_FALSE(queries.Resolve(std::nullopt, hash, &error));
  EXPECT_EQ(error.code, "PERSISTED_QUERY_NOT_FOUND");
  EXPECT_EQ(error.message, "PersistedQueryNotFound");
  EXPECT_EQ(queries.Resolve(kQuery, hash, &error), kQuery);
  EXPECT_EQ(queries.Resolve(std::nullopt, hash, &error), kQuery);    // the hash alone now
  EXPECT_EQ(queries.Resolve(kQuery, std::nullopt, &error), kQuery);  // plain requests run
  EXPECT_FALSE(queries.Resolve("{ other }", hash, &error));
  EXPECT_EQ(error.code, "BAD_USER_INPUT");
  // Large documents run but are not kept; the oldest leave past the count.
  const std::string large = "{ viewer { tokenName " + std::string(20'000, ' ') + "} }";
  EXPECT_EQ(queries.Resolve(large, DocumentHash(large), &error), large);
  EXPECT_FALSE(queries.Resolve(std::nullopt, DocumentHash(large), &error));
  for (std::size_t i = 0; i < PersistedQueries::kMostAutomatic; ++i) {
    const std::string document = "{ a" + std::to_string(i) + " }";
    ASSERT_TRUE(queries.Resolve(document, DocumentHash(document), &error));
  }
  EXPECT_EQ(queries.size(), PersistedQueries::kMostAutomatic);
  EXPECT_FALSE(queries.Resolve(std::nullopt, hash, &error));  // the first, replaced
}

class AllowListTest : public ::testing::Test {
 protected:
  std::string Write(const nlohmann::json& manifest) {
    std::ofstream(path_) << manifest.dump();
    return path_;
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("allow-list-" + std::to_string(::getpid()) + ".json"))
                          .string();
};

TEST_F(AllowListTest, OnlyTheManifestsDocumentsRun) {
  const nlohmann::json manifest = {
      {"format", "apollo-persisted-query-manifest"},
      {"version", 1},
      {"operations",
       {{{"id", DocumentHash(kQuery)}, {"name", "Viewer"}, {"type", "query"}, {"body", kQuery}}}}};
  auto queries = PersistedQueries::LoadAllowList(Write(manifest));
  ASSERT_TRUE(queries.ok()) << queries.status().message();
  ASSERT_TRUE((*queries)->allow_list());
  PersistedQueryError error;
  EXPECT_EQ((*queries)->Resolve(std::nullopt, DocumentHash(kQuery), &error), kQuery);
  EXPECT_EQ((*queries)->Resolve(kQuery, std::nullopt, &error), kQuery);  // sent whole: listed
  EXPECT_FALSE((*queries)->Resolve("{ projects { name } }", std::nullopt, &error));
  EXPECT_EQ(error.code, "PERSISTED_QUERY_NOT_LISTED");
  const std::string other = "{ projects { name } }";
  EXPECT_FALSE((*queries)->Resolve(other, DocumentHash(other), &error));  // not learnt either
  EXPECT_FALSE((*queries)->Resolve(std::nullopt, DocumentHash(other), &error));
}

TEST_F(AllowListTest, ABadManifestIsRefusedSayingWhy) {
  EXPECT_NE(PersistedQueries::LoadAllowList(Write({{"operations", nlohmann::json::array()}}))
                .status()
                .message()
                .find("is not an Apollo persisted query manifest"),
            std::string::npos);
  nlohmann::json wrong_id = {{"format", "apollo-persisted-query-manifest"},
                             {"version", 1},
                             {"operations", {{{"id", std::string(64, 'a')}, {"body", kQuery}}}}};
  EXPECT_NE(PersistedQueries::LoadAllowList(Write(wrong_id))
                .status()
                .message()
                .find("is not the SHA-256 of its body"),
            std::string::npos);
  EXPECT_FALSE(PersistedQueries::LoadAllowList("/nonexistent/manifest.json").ok());
}

}  // namespace
}  // namespace leadline::api
