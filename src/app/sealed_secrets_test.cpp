#include "app/sealed_secrets.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "app/connections.h"
#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::TempDir;

class SealedSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv(auth::kSecretKeyVariable);
    store_ = std::move(store::OpenStore(db_.store)).value();
  }
  // Stores a connection whose credentials, and webhook secret when asked, `box` sealed.
  void Connect(const auth::SecretBox& box, bool webhook_secret) {
    model::Connection connection;
    connection.name = "bitbucket-cloud/acme";
    connection.url = "https://api.bitbucket.org/2.0";
    connection.workspace = "acme";
    connection.sealed_secret = box.Seal("api-token");
    const std::int64_t id = *store_->connections().UpsertConnection(connection);
    if (webhook_secret) {
      ASSERT_TRUE(store_->connections().SetWebhookSecret(id, box.Seal("hook-secret")).ok());
    }
  }

  TempDir dir_;
  const config::Paths db_ = config::PathsBeside(dir_.Child("leadline.db"));
  std::unique_ptr<store::Store> store_;
};

TEST_F(SealedSecretsTest, AStoreWithoutSecretsGetsANewKeyFile) {
  ASSERT_TRUE(OpenCheckedKey(*store_, db_).ok());
  EXPECT_TRUE(std::filesystem::exists(db_.key_file));
}

TEST_F(SealedSecretsTest, TheKeyThatSealedTheSecretsOpensThem) {
  const auth::SecretBox box = *auth::SecretBox::FromEnvironmentOrKeyFile(db_.key_file);
  Connect(box, true);
  auto opened = OpenCheckedKey(*store_, db_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened->Open(box.Seal("x")), "x");
  EXPECT_TRUE(CheckSealedSecrets(*store_, box).ok());
}

TEST_F(SealedSecretsTest, AMissingKeyFileIsNamedAndNotReplacedByANewOne) {
  Connect(*auth::SecretBox::FromEnvironmentOrKeyFile(db_.key_file), false);
  std::filesystem::remove(db_.key_file);
  auto refused = OpenCheckedKey(*store_, db_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "the key file '" + db_.key_file +
                "' is missing, but the store holds secrets sealed with it (credentials of "
                "connection bitbucket-cloud/acme): restore the file from the store's backup, or "
                "set LEADLINE_SECRET_KEY to the key they were sealed with");
  EXPECT_FALSE(std::filesystem::exists(db_.key_file));
}

TEST_F(SealedSecretsTest, ASecretSealedWithAnotherKeyIsNamed) {
  auth::SecretBox::Key other;
  other.fill(7);
  Connect(auth::SecretBox(other), true);
  const auth::SecretBox box = *auth::SecretBox::FromEnvironmentOrKeyFile(db_.key_file);
  auto refused = OpenCheckedKey(*store_, db_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("the credentials of connection bitbucket-cloud/acme "
                                            "cannot be opened with the key file '" +
                                            db_.key_file + "': the key changed"),
            std::string::npos)
      << refused.status().message();
  // The credentials open, the webhook secret does not.
  model::Connection connection = store_->connections().LoadConnections()->front();
  connection.sealed_secret = box.Seal("api-token");
  ASSERT_TRUE(store_->connections().UpsertConnection(connection).ok());
  const common::Status unready = CheckSealedSecrets(*store_, box);
  EXPECT_NE(unready.message().find("the webhook secret of connection bitbucket-cloud/acme cannot "
                                   "be opened with the server's key"),
            std::string::npos)
      << unready.message();
}

TEST_F(SealedSecretsTest, AChangeEventRoutingKeySealedWithAnotherKeyIsNamed) {
  const auth::SecretBox box = *auth::SecretBox::FromEnvironmentOrKeyFile(db_.key_file);
  model::Connection connection;
  connection.name = "pagerduty/api.pagerduty.com";
  connection.provider = model::Provider::kPagerDuty;
  connection.auth = model::AuthMethod::kPagerDutyToken;
  connection.sealed_secret = box.Seal("pd-key");
  const std::int64_t id = *store_->connections().UpsertConnection(connection);
  ASSERT_TRUE(store_->incidents().UpsertIncidentServices(id, {{id, "PSVC1", "Checkout", ""}}).ok());
  auth::SecretBox::Key other;
  other.fill(7);
  ASSERT_TRUE(store_->change_events()
                  .EnableChangeEvents(id, "PSVC1", auth::SecretBox(other).Seal("routing-key"),
                                      "https://events.pagerduty.com", 1'767'225'600)
                  .ok());
  const common::Status unready = CheckSealedSecrets(*store_, box);
  EXPECT_NE(unready.message().find("the change events routing key of service PSVC1 of "
                                   "connection pagerduty/api.pagerduty.com cannot be opened"),
            std::string::npos)
      << unready.message();
  EXPECT_EQ(unready.message().find("routing-key"), std::string::npos);
}

}  // namespace
}  // namespace leadline::app
