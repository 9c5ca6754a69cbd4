#include "store/store_url.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"

namespace leadline::store {
namespace {

TEST(StoreUrl, BarePathsAndSqliteUrlsAreSqliteFiles) {
  auto bare = ParseStoreUrl("data/leadline.db");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->engine, sql::Engine::kSqlite);
  EXPECT_EQ(bare->target, "data/leadline.db");
  auto prefixed = ParseStoreUrl("sqlite:/var/lib/leadline/leadline.db");
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->engine, sql::Engine::kSqlite);
  EXPECT_EQ(prefixed->target, "/var/lib/leadline/leadline.db");
}

TEST(StoreUrl, ASqliteUrlMayAskForEveryCommitFlushed) {
  EXPECT_FALSE(ParseStoreUrl("sqlite:x.db")->flush_every_commit);
  auto full = ParseStoreUrl("sqlite:data/x.db?synchronous=full");
  ASSERT_TRUE(full.ok()) << full.status().message();
  EXPECT_EQ(full->target, "data/x.db");
  EXPECT_TRUE(full->flush_every_commit);
  auto normal = ParseStoreUrl("sqlite:data/x.db?synchronous=normal");
  ASSERT_TRUE(normal.ok());
  EXPECT_EQ(normal->target, "data/x.db");
  EXPECT_FALSE(normal->flush_every_commit);
  // A bare path is a file's name, '?' and all.
  auto bare = ParseStoreUrl("odd?synchronous=full.db");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->target, "odd?synchronous=full.db");
  EXPECT_FALSE(bare->flush_every_commit);
  for (const char* text : {"sqlite:x.db?synchronous=off", "sqlite:x.db?journal_mode=delete",
                           "sqlite:x.db?", "sqlite:?synchronous=full"}) {
    auto url = ParseStoreUrl(text);
    EXPECT_FALSE(url.ok()) << text;
  }
  EXPECT_NE(ParseStoreUrl("sqlite:x.db?synchronous=off")
                .status()
                .message()
                .find("synchronous=normal or synchronous=full"),
            std::string::npos);
}

TEST(StoreUrl, PostgresUrlsGoToLibpqAsTheyAreAndPrintWithoutTheirPassword) {
  for (const char* text : {"postgres://leadline:s3cret@db.internal:5433/leadline?sslmode=require",
                           "postgresql://leadline:s3cret@db.internal/leadline"}) {
    auto url = ParseStoreUrl(text);
    ASSERT_TRUE(url.ok()) << text;
    EXPECT_EQ(url->engine, sql::Engine::kPostgres);
    EXPECT_EQ(url->target, text);
    EXPECT_EQ(url->display.find("s3cret"), std::string::npos) << url->display;
    EXPECT_NE(url->display.find("leadline:***@db.internal"), std::string::npos) << url->display;
  }
  EXPECT_EQ(RedactPassword("postgres://u@h/db?password=s3cret&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(RedactPassword("postgres://u@h/db"), "postgres://u@h/db");
  EXPECT_EQ(RedactPassword("postgres://u:a:b@h/db?sslmode=require&password=c"),
            "postgres://u:***@h/db?sslmode=require&password=***");
  // Where they are, for overwriting in place (the command line's copy, cli/argv_passwords.h).
  using Spans = std::vector<std::pair<std::size_t, std::size_t>>;
  EXPECT_EQ(PasswordSpans("postgres://u:s3cret@h/db"), (Spans{{13, 6}}));
  EXPECT_EQ(PasswordSpans("host=h password=pw user=u"), (Spans{{16, 2}}));
  EXPECT_EQ(PasswordSpans("postgres://u@h/db"), Spans{});
  EXPECT_EQ(PasswordSpans("/var/lib/leadline.db"), Spans{});
}

TEST(StoreUrl, UnknownSchemesAndEmptyUrlsAreClearErrors) {
  for (const char* text : {"", "mysql://root@localhost/leadline", "sqlite:", "postgres://",
                           "postgres:///leadline", "sqlite://leadline.db"}) {
    auto url = ParseStoreUrl(text);
    EXPECT_FALSE(url.ok()) << text;
  }
  auto mysql = ParseStoreUrl("mysql://root:pw@localhost/leadline");
  EXPECT_NE(mysql.status().message().find("postgres://"), std::string::npos);
  EXPECT_EQ(mysql.status().message().find("pw@"), std::string::npos);
}

TEST(StoreUrl, AnUnreachableServerIsOneClearLineWithoutThePasswordAndNoFile) {
  // Port 1 on loopback: nothing listens there.
  const std::string url = "postgres://leadline:s3cret@127.0.0.1:1/leadline?connect_timeout=5";
  auto store = OpenStore(url);
  ASSERT_FALSE(store.ok());
  const std::string message = store.status().message();
  EXPECT_NE(message.find("cannot connect to the store"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(url));
}

}  // namespace
}  // namespace leadline::store
