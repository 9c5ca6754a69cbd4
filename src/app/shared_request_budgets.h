// SharedRequestBudgets: the request budgets of a process's connections counted in the store, so
// that every process on it (any number of `leadline serve`, a `leadline sync` beside them) spends
// each connection's allowance together instead of one allowance each. The counting itself is the
// store's (store/sql/request_budget_rows.h: a rolling window of whole minutes, atomic across
// processes).
//
// Blocks. A connection's budget reserves requests a few at a time, to be sent within a minute:
// one at first, then twice as many each time a block is used up in time, up to 10, and one again
// after a block expired with requests unsent (they stay counted: the store cannot take them
// back). So a sync of a few requests wastes none, and a long one costs one store round trip per
// 10 requests. Requests reserved by one process are not lent to another: near the end of an
// allowance a process may wait while another holds a few unsent for up to a minute.
//
// When the store cannot be reached, nothing is sent: the budget says to wait (5 s, doubling up to
// a minute) and prints one warning per outage; after 15 minutes it fails the request, so the
// sync fails and its next run tries again. Counting in the process meanwhile would let N
// processes spend N allowances, which this class exists to prevent, and a sync that cannot reach
// the store cannot store what it fetches anyway.
//
// Owns one store connection of its own, used under a mutex by every connection's budget, so that
// each reservation commits by itself, never inside a transaction of the process's syncs.
// Thread-safe; the budgets it makes must not outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/time.h"
#include "http/request_budget.h"
#include "store/store.h"

namespace leadline::app {

class SharedRequestBudgets {
 public:
  // `clock` times the blocks and waits; `unix_now` is the time written to the store (the two are
  // apart so that tests can move both).
  SharedRequestBudgets(std::unique_ptr<store::Store> store, common::Clock& clock,
                       std::function<common::UnixSeconds()> unix_now);
  // On a store connection of its own to the store at `store_url`.
  static common::Result<std::unique_ptr<SharedRequestBudgets>> Open(
      const std::string& store_url, common::Clock& clock = common::SystemClock(),
      std::function<common::UnixSeconds()> unix_now = common::NowUnixSeconds);

  // The budget of connection `connection_id`, whose allowance is `per_hour` requests an hour
  // (1 to 10,000,000; others fail each Take). Every budget of one connection, in every process,
  // draws on the same count.
  std::unique_ptr<http::RequestBudget> For(std::int64_t connection_id, std::uint32_t per_hour);

 private:
  class Budget;  // one connection's
  common::Result<store::RequestGrant> Reserve(const store::RequestAsk& ask);

  std::mutex mutex_;
  const std::unique_ptr<store::Store> store_;
  common::Clock& clock_;
  const std::function<common::UnixSeconds()> unix_now_;
};

}  // namespace leadline::app
