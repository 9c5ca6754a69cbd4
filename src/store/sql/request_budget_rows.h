// Request budgets shared by every process on one store: each upstream connection's allowance
// (Bitbucket Cloud: 1,000 requests an hour) counted in the database, so that two servers, or a
// server and `leadline sync`, spend one allowance between them instead of one each. A free
// function over a connection, written once for both engines, like the other *_rows files.
//
// The count. A connection's row in request_budgets holds `reserved`, every request ever reserved
// for it (it only grows); each minute in which requests were reserved keeps, in
// request_budget_minutes, `reserved_before`: the count before that minute's first reservation.
// The requests still counted are `reserved` less the lowest `reserved_before` of the minutes in
// the window (none counted when no minute is in it): no sum over the minutes, and nothing to take
// back when a minute leaves.
//
// The window. A reservation is kept under the minute of its `send_by` (the last moment its
// requests may be sent), and the window is the current minute and the 61 before it: a request
// counts until it is more than an hour and a minute old, the minute a margin for clocks of
// different machines that disagree by less than that. So the allowance is never spent twice
// within an hour, and a reservation counts for about 62 minutes (a steady sync runs some 4% under
// the allowance). The reservations that follow delete the minutes that left the window.
//
// Atomic across processes, one round trip each:
//  - PostgreSQL: one statement. Its UPDATE of the connection's row waits for any other
//    reservation of the connection to commit, then checks the limit against the count as that one
//    left it. The window's lowest count is read from the statement's snapshot, which may be older:
//    a minute it misses was kept after the snapshot, so its count is no lower than the count the
//    snapshot saw, and when it misses every minute of the window that count stands in. Either way
//    the requests counted are never fewer than the true ones. The first reservation of a
//    connection makes its row, one round trip more, once.
//  - SQLite: a write transaction of a few statements (BEGIN IMMEDIATE: one writer at a time), in
//    process; inside a caller's transaction, in that one.
// Not thread-safe, like the connection.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace leadline::store::sql {

// Reserves `ask.count` requests, or none (with the time to ask again). Bad asks (store.h gives
// the bounds) are refused with InvalidArgument; a connection not in the store, by the database.
Result<RequestGrant> ReserveRequests(Connection& db, const RequestAsk& ask);

}  // namespace leadline::store::sql
