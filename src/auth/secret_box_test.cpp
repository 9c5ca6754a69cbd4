#include "auth/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace leadline::auth {
namespace {

namespace fs = std::filesystem;

SecretBox::Key KeyOf(std::uint8_t byte) {
  SecretBox::Key key;
  key.fill(byte);
  return key;
}

// Sets LEADLINE_SECRET_KEY for the scope of one test.
class ScopedKeyVariable {
 public:
  explicit ScopedKeyVariable(const char* value) { setenv(kSecretKeyVariable, value, 1); }
  ~ScopedKeyVariable() { unsetenv(kSecretKeyVariable); }
};

class SecretBoxFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv(kSecretKeyVariable);
    dir_ = fs::temp_directory_path() / ("leadline-secret-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    key_file_ = (dir_ / "keys" / "leadline.key").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string key_file_;
};

TEST(SecretBox, SealsAndOpens) {
  const SecretBox box(KeyOf(7));
  const std::string sealed = box.Seal("ATATT3xFfGF0 token with ünïcode");
  EXPECT_TRUE(sealed.starts_with("v1:"));
  EXPECT_EQ(sealed.find("ATATT3"), std::string::npos);
  EXPECT_EQ(*box.Open(sealed), "ATATT3xFfGF0 token with ünïcode");
  EXPECT_EQ(*box.Open(box.Seal("")), "");
}

TEST(SecretBox, EverySealUsesAFreshNonce) {
  const SecretBox box(KeyOf(7));
  EXPECT_NE(box.Seal("same"), box.Seal("same"));
}

TEST(SecretBox, AnotherKeyOrAnAlteredSecretCannotOpen) {
  const SecretBox box(KeyOf(7));
  const std::string sealed = box.Seal("token");
  auto wrong_key = SecretBox(KeyOf(8)).Open(sealed);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_NE(wrong_key.status().message().find("the key changed"), std::string::npos);

  std::string altered = sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.Open(altered).ok());
  EXPECT_FALSE(box.Open("v2:abc").ok());
  EXPECT_FALSE(box.Open("v1:!!!").ok());
  EXPECT_FALSE(box.Open("v1:AAAA").ok());  // shorter than a nonce and a tag
}

TEST_F(SecretBoxFileTest, CreatesAPrivateKeyFileOnceAndReusesIt) {
  auto first = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_TRUE(first.ok()) << first.status().message();
  struct stat info {};
  ASSERT_EQ(stat(key_file_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string sealed = first->Seal("token");
  auto second = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second->Open(sealed), "token");  // same key read back
}

TEST_F(SecretBoxFileTest, RefusesAKeyFileOthersCanRead) {
  ASSERT_TRUE(SecretBox::FromEnvironmentOrKeyFile(key_file_).ok());
  fs::permissions(key_file_, fs::perms::others_read, fs::perm_options::add);
  auto refused = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("chmod 600"), std::string::npos);
  EXPECT_NE(refused.status().message().find("mode 604"), std::string::npos)
      << refused.status().message();
}

TEST_F(SecretBoxFileTest, EnvironmentKeyWinsOverTheFile) {
  const ScopedKeyVariable variable(
      "0707070707070707070707070707070707070707070707070707070707070707");
  auto box = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_TRUE(box.ok()) << box.status().message();
  EXPECT_FALSE(fs::exists(key_file_));  // no file needed
  EXPECT_EQ(*SecretBox(KeyOf(7)).Open(box->Seal("token")), "token");
}

TEST_F(SecretBoxFileTest, BadEnvironmentKeyIsExplained) {
  const ScopedKeyVariable variable("not-a-key");
  auto box = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_FALSE(box.ok());
  EXPECT_NE(box.status().message().find("LEADLINE_SECRET_KEY must hold 64 hex digits"),
            std::string::npos);
}

TEST_F(SecretBoxFileTest, CorruptKeyFileIsExplained) {
  fs::create_directories(fs::path(key_file_).parent_path());
  { std::ofstream(key_file_) << "short\n"; }
  fs::permissions(key_file_, fs::perms::owner_read | fs::perms::owner_write);
  auto box = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_FALSE(box.ok());
  EXPECT_NE(box.status().message().find("64 hex digits"), std::string::npos);
}

TEST_F(SecretBoxFileTest, AKeyFileThatCannotBeReadIsNamed) {
  fs::create_directories(key_file_);  // a folder where the file should be
  fs::permissions(key_file_, fs::perms::owner_all, fs::perm_options::replace);
  auto box = SecretBox::FromEnvironmentOrKeyFile(key_file_);
  ASSERT_FALSE(box.ok());
  EXPECT_EQ(box.status().message(), "cannot read the key file '" + key_file_ +
                                        "': it must be a file this user can read, holding the key");
}

}  // namespace
}  // namespace leadline::auth
