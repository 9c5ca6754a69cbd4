#include "app/shared_request_budgets.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace leadline::app {
namespace {

using std::chrono::seconds;

constexpr std::int64_t kLargestBlock = 10;
// How long a block's requests may wait to be sent: the store counts them from this moment on.
constexpr seconds kHold{60};
constexpr seconds kFirstOutageWait{5};
constexpr seconds kLongestOutageWait{60};
constexpr auto kLongestOutage = std::chrono::minutes(15);

}  // namespace

class SharedRequestBudgets::Budget final : public http::RequestBudget {
 public:
  Budget(SharedRequestBudgets& shared, std::int64_t connection_id, std::uint32_t per_hour)
      : shared_(shared), connection_id_(connection_id), per_hour_(per_hour) {}

  common::Result<http::BudgetAnswer> Take() override {
    std::lock_guard lock(mutex_);
    // Timed before the round trip, so that the block never outlives what the store counts.
    const common::Clock::TimePoint now = shared_.clock_.Now();
    if (left_ > 0 && now < expires_) {
      --left_;
      return http::BudgetAnswer{};
    }
    if (left_ > 0) next_block_ = 1;  // the last block expired with requests unsent
    left_ = 0;
    std::int64_t wanted = std::min<std::int64_t>(next_block_, per_hour_);
    const common::UnixSeconds unix_now = shared_.unix_now_();
    store::RequestAsk ask{connection_id_, wanted, per_hour_, unix_now, unix_now + kHold.count()};
    common::Result<store::RequestGrant> grant = shared_.Reserve(ask);
    if (grant.ok() && !grant->granted && wanted > 1) {  // the allowance's last few may fit
      ask.count = wanted = 1;
      grant = shared_.Reserve(ask);
    }
    if (!grant.ok()) return Outage(now, grant.status());
    if (outage_since_) {
      std::fprintf(stderr,
                   "leadline: the store answers the request budget of connection %lld again\n",
                   static_cast<long long>(connection_id_));
      outage_since_.reset();
    }
    if (!grant->granted) {
      next_block_ = 1;
      return http::BudgetAnswer{std::max(seconds(grant->retry_at - unix_now), seconds(1)),
                                "request budget of " + std::to_string(per_hour_) +
                                    "/hour, shared by every process on the store, spent"};
    }
    left_ = wanted - 1;
    expires_ = now + kHold;
    next_block_ = std::min(wanted * 2, kLargestBlock);  // back to 1 if not used up in time
    return http::BudgetAnswer{};
  }

 private:
  // The store did not answer: wait for it, within reason. A bad ask is no outage.
  common::Result<http::BudgetAnswer> Outage(common::Clock::TimePoint now,
                                            const common::Status& error) {
    if (error.code() == common::StatusCode::kInvalidArgument) return error;
    if (!outage_since_) {
      outage_since_ = now;
      outage_wait_ = kFirstOutageWait;
      std::fprintf(stderr,
                   "leadline: warning: the request budget of connection %lld cannot be reserved "
                   "in the store (%s): its requests wait until the store answers\n",
                   static_cast<long long>(connection_id_), error.message().c_str());
    } else {
      outage_wait_ = std::min(outage_wait_ * 2, kLongestOutageWait);
    }
    if (now - *outage_since_ >= kLongestOutage) {
      return common::Status::Unavailable(
          "the request budget of connection " + std::to_string(connection_id_) +
          " has not been reserved in the store for 15 minutes, so no request was sent: " +
          error.message());
    }
    return http::BudgetAnswer{outage_wait_, "the request budget cannot be reserved in the store (" +
                                                error.message() + ")"};
  }

  SharedRequestBudgets& shared_;
  const std::int64_t connection_id_;
  const std::int64_t per_hour_;
  std::mutex mutex_;
  std::int64_t left_ = 0;  // requests of the current block not taken yet
  common::Clock::TimePoint expires_{};
  std::int64_t next_block_ = 1;
  std::optional<common::Clock::TimePoint> outage_since_;
  seconds outage_wait_{0};
};

SharedRequestBudgets::SharedRequestBudgets(std::unique_ptr<store::Store> store,
                                           common::Clock& clock,
                                           std::function<common::UnixSeconds()> unix_now)
    : store_(std::move(store)), clock_(clock), unix_now_(std::move(unix_now)) {}

common::Result<std::unique_ptr<SharedRequestBudgets>> SharedRequestBudgets::Open(
    const std::string& store_url, common::Clock& clock,
    std::function<common::UnixSeconds()> unix_now) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(store_url));
  return std::make_unique<SharedRequestBudgets>(std::move(store), clock, std::move(unix_now));
}

std::unique_ptr<http::RequestBudget> SharedRequestBudgets::For(std::int64_t connection_id,
                                                               std::uint32_t per_hour) {
  return std::make_unique<Budget>(*this, connection_id, per_hour);
}

common::Result<store::RequestGrant> SharedRequestBudgets::Reserve(const store::RequestAsk& ask) {
  std::lock_guard lock(mutex_);
  return store_->connections().ReserveRequests(ask);
}

}  // namespace leadline::app
