// The serve-side Looker trigger (app/bi_refresher.h) against the local Looker double: after a
// refresh that rewrote rows, none after one that rewrote nothing, and a failed trigger tried again
// after the next refresh even when it rewrote nothing. And the sealed Looker secret is one the
// key check (app/sealed_secrets.h) looks at.
#include "app/bi_refresher.h"

#include <gtest/gtest.h>

#include "app/sealed_secrets.h"
#include "http/curl_http_client.h"
#include "looker_double/looker_double.h"
#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::LookerDouble;
using leadline::testing::TempDir;

class BiRefresherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::OpenStore(paths_.store)).value();
    ASSERT_TRUE(store_->analytics()
                    .SaveLookerConnection({looker_.url(), "looker-client-id",
                                           box_.Seal("looker-client-secret"), 1, std::nullopt, ""})
                    .ok());
  }
  // After a refresh that rewrote `scopes` scopes.
  void Refreshed(BiRefresher& bi, std::int64_t scopes) {
    AnalyticsRefreshOutcome outcome;
    outcome.record.scopes_rewritten = scopes;
    bi.AfterRefresh(*store_, outcome);
  }
  std::size_t Triggers() const {
    const auto all = looker_.triggers();
    return all.contains("1") ? all.at("1").size() : 0;
  }

  TempDir dir_;
  const config::Paths paths_ = config::PathsBeside(dir_.Child("leadline.db"));
  const auth::SecretBox box_{auth::SecretBox::Key{7}};
  std::unique_ptr<store::Store> store_;
  LookerDouble looker_;
  http::CurlHttpClient curl_;
  const query::MetricsViewSource no_view_ = [] {
    return common::Result<std::shared_ptr<const query::MetricsView>>(
        common::Status::Unavailable("no view in this test"));
  };
};

TEST_F(BiRefresherTest, TriggersAfterARefreshThatRewroteRowsAndRetriesAFailure) {
  BiRefresher bi(paths_, box_, curl_, LookerTarget{"leadline_refresh", ""}, no_view_);
  Refreshed(bi, 0);
  EXPECT_EQ(looker_.logins(), 0);
  Refreshed(bi, 2);
  EXPECT_EQ(Triggers(), 1u);

  looker_.ExpireEveryToken();
  Refreshed(bi, 1);
  EXPECT_EQ(Triggers(), 1u);
  looker_.ExpireEveryToken(false);
  Refreshed(bi, 0);  // nothing rewritten, but a trigger is owed
  EXPECT_EQ(Triggers(), 2u);
  const int logins = looker_.logins();
  Refreshed(bi, 0);  // and now none is
  EXPECT_EQ(looker_.logins(), logins);
  const auto connection = *store_->analytics().LoadLookerConnection();
  EXPECT_EQ(connection->last_trigger_outcome, "triggered leadline::leadline_refresh");
}

TEST_F(BiRefresherTest, WithoutADatagroupNothingIsTriggered) {
  BiRefresher bi(paths_, box_, curl_, std::nullopt, no_view_);
  Refreshed(bi, 3);
  EXPECT_EQ(looker_.logins(), 0);
  EXPECT_FALSE(bi.Refresh().ok());  // no view: an error, not a crash
}

TEST_F(BiRefresherTest, TheKeyCheckOpensTheLookerSecret) {
  EXPECT_TRUE(CheckSealedSecrets(*store_, box_).ok());
  const common::Status other =
      CheckSealedSecrets(*store_, auth::SecretBox(auth::SecretBox::Key{9}));
  EXPECT_EQ(other.code(), common::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.message().find("the client secret of connection Looker cannot be opened"),
            std::string::npos)
      << other.message();
}

}  // namespace
}  // namespace leadline::app
