#include "app/shared_request_budgets.h"

#include <gtest/gtest.h>

#include <vector>

#include "app/connection_clients.h"
#include "config/paths.h"
#include "http/testing_fakes.h"
#include "store/sql/temp_store_test.h"

namespace leadline::app {
namespace {

using std::chrono::seconds;

constexpr common::UnixSeconds kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z

// Answers 200 to everything, noting when each request was sent.
class RecordingClient final : public http::HttpClient {
 public:
  explicit RecordingClient(common::Clock& clock) : clock_(clock) {}
  common::Result<http::HttpResponse> Send(const http::HttpRequest&) override {
    sent.push_back(clock_.Now());
    http::HttpResponse response;
    response.status = 200;
    return response;
  }
  std::vector<common::Clock::TimePoint> sent;

 private:
  common::Clock& clock_;
};

class SharedRequestBudgetsTest : public store::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    connection_.name = "bitbucket-cloud/acme";
    connection_.id = *store_->connections().UpsertConnection(connection_);
  }

  // The time the store counts in: the fake clock's, from kStart.
  std::function<common::UnixSeconds()> UnixNow() {
    return [this] {
      return kStart + std::chrono::duration_cast<seconds>(clock_.Now().time_since_epoch()).count();
    };
  }
  std::unique_ptr<SharedRequestBudgets> Budgets() {
    auto budgets = SharedRequestBudgets::Open(url_, clock_, UnixNow());
    EXPECT_TRUE(budgets.ok()) << budgets.status().message();
    return budgets.ok() ? std::move(budgets).value() : nullptr;
  }
  std::int64_t Reserved() { return Count("SELECT reserved FROM request_budgets"); }

  http::testing::FakeClock clock_;
  model::Connection connection_;
};

TEST_P(SharedRequestBudgetsTest, BlocksGrowWhileUsedUpAndStartAgainWhenOneExpires) {
  auto budgets = Budgets();
  auto budget = budgets->For(connection_.id, 1000);
  const auto take = [&] {
    auto answer = budget->Take();
    ASSERT_TRUE(answer.ok()) << answer.status().message();
    EXPECT_EQ(answer->wait, seconds(0));
  };
  take();
  EXPECT_EQ(Reserved(), 1);
  take();  // a block of 2
  take();
  EXPECT_EQ(Reserved(), 3);
  for (int i = 0; i < 4 + 8 + 10 + 10; ++i) take();  // then 4, 8, 10 and 10 again
  EXPECT_EQ(Reserved(), 35);
  take();  // a new block of 10, one taken
  clock_.SleepFor(seconds(60));
  take();  // 9 unsent expired with it: 1 again
  EXPECT_EQ(Reserved(), 46);
}

TEST_P(SharedRequestBudgetsTest, ASpentBudgetSaysHowLongToWait) {
  auto budgets = Budgets();
  auto budget = budgets->For(connection_.id, 3);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(budget->Take()->wait, seconds(0));
  const http::BudgetAnswer spent = *budget->Take();
  // Kept under 00:01 (their last moment to be sent), counted until 01:03.
  EXPECT_EQ(spent.wait, seconds(60 + 62 * 60));
  EXPECT_NE(spent.why.find("3/hour, shared by every process on the store"), std::string::npos)
      << spent.why;
  clock_.SleepFor(spent.wait);
  EXPECT_EQ(budget->Take()->wait, seconds(0));
}

TEST_P(SharedRequestBudgetsTest, AStoreThatDoesNotAnswerSendsNothingThenGivesUp) {
  auto budgets = Budgets();
  auto budget = budgets->For(connection_.id, 1000);
  auto raw = RawConnection();
  ASSERT_TRUE(raw->Exec("DROP TABLE request_budget_minutes; DROP TABLE request_budgets").ok());
  std::vector<seconds> waits;
  for (;;) {
    auto answer = budget->Take();
    if (!answer.ok()) {
      EXPECT_EQ(answer.status().code(), common::StatusCode::kUnavailable);
      EXPECT_NE(answer.status().message().find("not been reserved in the store for 15 minutes"),
                std::string::npos)
          << answer.status().message();
      break;
    }
    ASSERT_GT(answer->wait, seconds(0)) << "a request was allowed without the store";
    EXPECT_NE(answer->why.find("cannot be reserved in the store"), std::string::npos);
    waits.push_back(std::chrono::duration_cast<seconds>(answer->wait));
    clock_.SleepFor(answer->wait);
    ASSERT_LT(waits.size(), 100u);
  }
  ASSERT_GE(waits.size(), 5u);
  EXPECT_EQ(std::vector<seconds>(waits.begin(), waits.begin() + 5),
            (std::vector<seconds>{seconds(5), seconds(10), seconds(20), seconds(40), seconds(60)}));
  EXPECT_GE(clock_.slept, std::chrono::minutes(15));
  EXPECT_LT(clock_.slept, std::chrono::minutes(16));
}

TEST_P(SharedRequestBudgetsTest, ABadAllowanceFailsAtOnce) {
  auto budgets = Budgets();
  auto answer = budgets->For(connection_.id, 20'000'000)->Take();
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), common::StatusCode::kInvalidArgument);
}

// Two processes' clients on one store, sending in turn: together they keep to the allowance of
// every hour, where counting in each process would have let each spend all of it.
TEST_P(SharedRequestBudgetsTest, TwoProcessesClientsTogetherKeepToTheAllowance) {
  RecordingClient upstream(clock_);
  http::RetryPolicy policy;
  policy.max_wait = std::chrono::hours(2);
  config::Paths paths;
  paths.store = url_;
  std::unique_ptr<ConnectionClients> processes[2];
  for (auto& process : processes) {
    auto clients =
        ConnectionClients::SharedThroughStore(upstream, paths, policy, clock_, {}, UnixNow());
    ASSERT_TRUE(clients.ok()) << clients.status().message();
    process = std::move(clients).value();
  }
  constexpr std::uint32_t kPerHour = 25;
  http::HttpRequest request;
  request.url = "https://api.bitbucket.org/2.0/repositories/acme";
  for (int i = 0; i < 80; ++i) {
    auto response = processes[i % 2]->For(connection_, kPerHour).Send(request);
    ASSERT_TRUE(response.ok()) << response.status().message();
  }
  ASSERT_EQ(upstream.sent.size(), 80u);
  for (std::size_t last = 0; last < upstream.sent.size(); ++last) {
    std::size_t in_hour = 0;
    for (std::size_t i = 0; i <= last; ++i) {
      in_hour += upstream.sent[last] - upstream.sent[i] < std::chrono::hours(1) ? 1 : 0;
    }
    EXPECT_LE(in_hour, kPerHour) << "the hour up to request " << last;
  }
  // They waited for the allowance: over three hours for 80 requests at 25 an hour.
  EXPECT_GT(clock_.slept, std::chrono::hours(3));
  EXPECT_EQ(processes[0]->Counts().requests + processes[1]->Counts().requests, 80u);
}

LEADLINE_ON_EVERY_ENGINE(SharedRequestBudgetsTest);

}  // namespace
}  // namespace leadline::app
