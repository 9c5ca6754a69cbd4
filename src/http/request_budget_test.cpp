#include "http/request_budget.h"

#include <gtest/gtest.h>

#include "http/testing_fakes.h"

namespace leadline::http {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;

TEST(RollingHourBudget, EachRequestLeavesTheWindowAnHourAfterItWasSent) {
  FakeClock clock;
  RollingHourBudget budget(2, clock);
  EXPECT_EQ(budget.Take()->wait, milliseconds(0));
  clock.SleepFor(std::chrono::minutes(20));
  EXPECT_EQ(budget.Take()->wait, milliseconds(0));
  const BudgetAnswer spent = *budget.Take();
  EXPECT_EQ(spent.wait, std::chrono::minutes(40) + milliseconds(1));  // the first's hour
  EXPECT_NE(spent.why.find("2/hour"), std::string::npos) << spent.why;
  clock.SleepFor(spent.wait);
  EXPECT_EQ(budget.Take()->wait, milliseconds(0));
  EXPECT_EQ(budget.Take()->wait, std::chrono::minutes(20));  // now the second's
}

TEST(RollingHourBudget, ABudgetOfNoneIsRefused) {
  FakeClock clock;
  RollingHourBudget budget(0, clock);
  const auto answer = budget.Take();
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.status().message().find("0 requests"), std::string::npos);
}

}  // namespace
}  // namespace leadline::http
