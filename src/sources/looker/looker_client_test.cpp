// The Looker client against the local Looker double (tests/looker_double) over real HTTP: the
// trigger's calls in order, a refused login, a token expiring mid-run (one new login, never a
// loop), and a datagroup that is not there.
#include "sources/looker/looker_client.h"

#include <gtest/gtest.h>

#include "common/time.h"
#include "http/curl_http_client.h"
#include "looker_double/looker_double.h"

namespace leadline::sources::looker {
namespace {

using testing::LookerDouble;

class LookerClientTest : public ::testing::Test {
 protected:
  LookerCredentials Credentials(const std::string& secret = "looker-client-secret") const {
    return {looker_.url() + "/", "looker-client-id", secret};
  }
  // No token appears in `text`.
  void ExpectNoToken(const std::string& text) const {
    for (const std::string& token : looker_.tokens_issued()) {
      EXPECT_EQ(text.find(token), std::string::npos) << text;
    }
    EXPECT_EQ(text.find("looker-client-secret"), std::string::npos) << text;
  }

  LookerDouble looker_;
  http::CurlHttpClient curl_;
  const common::UnixSeconds now_ = common::NowUnixSeconds();
};

TEST_F(LookerClientTest, TriggersTheDatagroupOfTheModelAndLogsOut) {
  auto outcome = TriggerDatagroup(curl_, Credentials(), "leadline", "nightly", now_);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_EQ(outcome->datagroup.id, "2");
  EXPECT_EQ(outcome->datagroup.model_name, "leadline");
  EXPECT_EQ(outcome->triggered_at, now_);
  EXPECT_EQ(outcome->logins, 1);
  EXPECT_EQ(looker_.calls(), (std::vector<std::string>{
                                 "POST /api/4.0/login 200", "GET /api/4.0/datagroups 200",
                                 "PATCH /api/4.0/datagroups/2 200", "DELETE /api/4.0/logout 204"}));
  EXPECT_EQ(looker_.triggers(), (std::map<std::string, std::vector<std::int64_t>>{{"2", {now_}}}));
  EXPECT_EQ(looker_.logouts(), 1);
}

TEST_F(LookerClientTest, WithoutAModelANameOfOneModelIsFoundAndOfSeveralIsAsked) {
  auto outcome = TriggerDatagroup(curl_, Credentials(), "", "leadline_refresh", now_);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_EQ(outcome->datagroup.id, "1");
  outcome = TriggerDatagroup(curl_, Credentials(), "", "nightly", now_);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(),
            "several models have a datagroup 'nightly' (leadline, finance): name one with --model");
  EXPECT_EQ(looker_.logouts(), 2);  // the refused trigger logged out too
}

TEST_F(LookerClientTest, ARefusedLoginSaysWhatToFixWithoutTheSecret) {
  auto outcome = TriggerDatagroup(curl_, Credentials("wrong-secret"), "leadline", "nightly", now_);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(outcome.status().message().find("Looker answered 401 to the login at"),
            std::string::npos)
      << outcome.status().message();
  EXPECT_NE(outcome.status().message().find("the client id or secret is wrong"), std::string::npos);
  EXPECT_EQ(outcome.status().message().find("wrong-secret"), std::string::npos);
  EXPECT_EQ(looker_.logins(), 1);  // a refused login is not tried again
  EXPECT_TRUE(looker_.triggers().empty());
}

TEST_F(LookerClientTest, ATokenExpiredMidRunMeansExactlyOneNewLogin) {
  looker_.ExpireTokensOnNext("PATCH");
  auto outcome = TriggerDatagroup(curl_, Credentials(), "leadline", "leadline_refresh", now_);
  ASSERT_TRUE(outcome.ok()) << outcome.status().message();
  EXPECT_EQ(outcome->logins, 2);
  EXPECT_EQ(looker_.logins(), 2);
  EXPECT_EQ(looker_.calls(), (std::vector<std::string>{
                                 "POST /api/4.0/login 200", "GET /api/4.0/datagroups 200",
                                 "PATCH /api/4.0/datagroups/1 401", "POST /api/4.0/login 200",
                                 "PATCH /api/4.0/datagroups/1 200", "DELETE /api/4.0/logout 204"}));
  EXPECT_EQ(looker_.triggers().at("1").size(), 1u);
}

TEST_F(LookerClientTest, TokensThatKeepExpiringEndInAnErrorNotALoop) {
  looker_.ExpireEveryToken();
  auto outcome = TriggerDatagroup(curl_, Credentials(), "leadline", "leadline_refresh", now_);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(outcome.status().message().find("Looker answered 401 to the datagroups' listing"),
            std::string::npos)
      << outcome.status().message();
  EXPECT_EQ(looker_.logins(), 2);
  EXPECT_TRUE(looker_.triggers().empty());
  ExpectNoToken(outcome.status().message());
}

TEST_F(LookerClientTest, ADatagroupNotThereIsNamedWithThoseThatAre) {
  auto outcome = TriggerDatagroup(curl_, Credentials(), "leadline", "hourly", now_);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), common::StatusCode::kNotFound);
  EXPECT_EQ(outcome.status().message(),
            "Looker has no datagroup 'leadline::hourly'; it has: leadline::leadline_refresh, "
            "leadline::nightly, finance::nightly");
  EXPECT_EQ(looker_.logouts(), 1);
}

TEST_F(LookerClientTest, ATriggerInTheFutureIsLookersRefusalPassedOn) {
  auto outcome = TriggerDatagroup(curl_, Credentials(), "leadline", "nightly", now_ + common::kDay);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(),
            "Looker answered 422 to the trigger of datagroup 2 (Validation Failed: triggered_at "
            "cannot be in the future)");
}

TEST_F(LookerClientTest, CheckingCredentialsLogsInAndOut) {
  EXPECT_TRUE(CheckCredentials(curl_, Credentials()).ok());
  EXPECT_EQ(looker_.logins(), 1);
  EXPECT_EQ(looker_.logouts(), 1);
  const common::Status refused = CheckCredentials(curl_, Credentials("nope"));
  EXPECT_EQ(refused.code(), common::StatusCode::kUnauthenticated);
}

TEST_F(LookerClientTest, AHostThatIsNotLookerIsAClearError) {
  LookerCredentials credentials = Credentials();
  credentials.url = "http://127.0.0.1:1";  // nothing listens
  const common::Status status = CheckCredentials(curl_, credentials);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("logging in to Looker at http://127.0.0.1:1"), std::string::npos)
      << status.message();
}

}  // namespace
}  // namespace leadline::sources::looker
