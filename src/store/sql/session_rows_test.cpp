#include "store/sql/session_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

class SessionRowsTest : public TempStoreTest {};

model::SignInAttempt Attempt(const std::string& state, common::UnixSeconds at) {
  return {std::string(64 - state.size(), '0') + state, "nonce-" + state, "verifier-" + state,
          "/?window=30d", at};
}

TEST_P(SessionRowsTest, AnAttemptIsTakenOnceAndNotAfterItExpired) {
  ASSERT_TRUE(store_->sessions().SaveSignInAttempt(Attempt("a", 1'000), 0, 10).ok());
  ASSERT_TRUE(store_->sessions().SaveSignInAttempt(Attempt("b", 1'000), 0, 10).ok());
  const auto taken = *store_->sessions().TakeSignInAttempt(Attempt("a", 0).state_hash, 900);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->nonce, "nonce-a");
  EXPECT_EQ(taken->code_verifier, "verifier-a");
  EXPECT_EQ(taken->return_to, "/?window=30d");
  EXPECT_FALSE(store_->sessions().TakeSignInAttempt(Attempt("a", 0).state_hash, 900)->has_value());
  // Begun before the cut-off: taken (so never usable again) but not handed back.
  EXPECT_FALSE(
      store_->sessions().TakeSignInAttempt(Attempt("b", 0).state_hash, 1'001)->has_value());
  EXPECT_FALSE(store_->sessions().TakeSignInAttempt(Attempt("b", 0).state_hash, 0)->has_value());
}

TEST_P(SessionRowsTest, AttemptsAreCappedAndExpiredOnesMakeRoom) {
  ASSERT_TRUE(store_->sessions().SaveSignInAttempt(Attempt("a", 1'000), 0, 2).ok());
  ASSERT_TRUE(store_->sessions().SaveSignInAttempt(Attempt("b", 1'100), 0, 2).ok());
  const common::Status full = store_->sessions().SaveSignInAttempt(Attempt("c", 1'200), 0, 2);
  EXPECT_EQ(full.code(), common::StatusCode::kUnavailable);
  EXPECT_FALSE(store_->sessions().TakeSignInAttempt(Attempt("c", 0).state_hash, 0)->has_value());
  // "a" has expired by 1'050: saving prunes it first.
  ASSERT_TRUE(store_->sessions().SaveSignInAttempt(Attempt("c", 1'200), 1'050, 2).ok());
  EXPECT_FALSE(store_->sessions().TakeSignInAttempt(Attempt("a", 0).state_hash, 0)->has_value());
  EXPECT_TRUE(store_->sessions().TakeSignInAttempt(Attempt("c", 0).state_hash, 0)->has_value());
}

model::PersonSession Session(const std::string& hash, const std::string& name,
                             common::UnixSeconds at) {
  model::PersonSession session;
  session.secret_hash = hash;
  session.issuer = "https://idp.example.com";
  session.subject = "sub-" + name;
  session.name = name;
  session.claim_values = {"/payments", "a1b2c3d4-0000-4000-8000-000000000001"};
  session.created_at = at;
  session.last_seen_at = at;
  session.expires_at = at + 8 * 3600;
  return session;
}

TEST_P(SessionRowsTest, SessionsAreFoundByHashTouchedListedAndRevoked) {
  const std::int64_t ann =
      *store_->sessions().InsertSession(Session("h1", "ann@example.com", 10'000));
  const std::int64_t ann2 =
      *store_->sessions().InsertSession(Session("h2", "ann@example.com", 10'100));
  const std::int64_t bo =
      *store_->sessions().InsertSession(Session("h3", "bo@example.com", 10'200));
  EXPECT_FALSE(
      store_->sessions().InsertSession(Session("h3", "dup", 10'300)).ok());  // the hash is unique

  const auto found = *store_->sessions().LoadSession("h1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, ann);
  EXPECT_EQ(found->claim_values,
            (std::vector<std::string>{"/payments", "a1b2c3d4-0000-4000-8000-000000000001"}));
  EXPECT_EQ(found->expires_at, 10'000 + 8 * 3600);
  EXPECT_FALSE(store_->sessions().LoadSession("nope")->has_value());

  ASSERT_TRUE(store_->sessions().TouchSession(ann, 10'500).ok());
  EXPECT_EQ((*store_->sessions().LoadSession("h1"))->last_seen_at, 10'500);

  EXPECT_EQ(*store_->sessions().RevokeSessions(bo, "", 11'000), 1);
  EXPECT_EQ(*store_->sessions().RevokeSessions(bo, "", 11'000), 0);  // already revoked
  EXPECT_EQ(*store_->sessions().RevokeSessions(std::nullopt, "ann@example.com", 11'100), 2);
  EXPECT_EQ((*store_->sessions().LoadSession("h2"))->revoked_at, 11'100);
  EXPECT_EQ(*store_->sessions().RevokeSessions(std::nullopt, "sub-nobody", 11'100), 0);

  // Listed while their absolute expiry is ahead, revoked ones included.
  EXPECT_EQ(store_->sessions().LoadSessions(10'000 + 8 * 3600 - 1)->size(), 3u);
  const auto late = *store_->sessions().LoadSessions(10'100 + 8 * 3600);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].id, bo);
  (void)ann2;
}

TEST_P(SessionRowsTest, InsertingPrunesSessionsThatEndedADayBefore) {
  const std::int64_t old = *store_->sessions().InsertSession(Session("h1", "ann@example.com", 0));
  ASSERT_EQ(*store_->sessions().RevokeSessions(old, "", 100), 1);
  ASSERT_TRUE(
      store_->sessions().InsertSession(Session("h2", "bo@example.com", 100 + 86'400 + 1)).ok());
  EXPECT_FALSE(store_->sessions().LoadSession("h1")->has_value());
  EXPECT_TRUE(store_->sessions().LoadSession("h2")->has_value());
}

LEADLINE_ON_EVERY_ENGINE(SessionRowsTest);

}  // namespace
}  // namespace leadline::store::sql
