// The state of a resumable, incremental walk over a collection the host lists newest first
// (Bitbucket Cloud's repository-wide pull request activity, its pipelines and deployments; Data
// Center's pull requests, most recently updated first): the walk stops at the first page that
// reaches what an earlier walk stored, so a repeat sync of an unchanged repository costs one
// request. Pure: the feed that holds it (sources/bitbucket/newest_first_feed.h) hands the cursor
// this computes to ingest's feed runner, which saves it with each page's rows, in their
// transaction.
//
// The cursor (JSON) holds the mark, the time the next walk may stop at. While a walk is under way
// it also holds the next page's URL, so an interrupted walk (Ctrl-C, crash, kill -9) continues
// from the page after the last one it stored; rows are written by natural key, so a page fetched
// twice stores nothing twice. Rows still changing (a pipeline that is running) hold the mark back:
// the next walk goes down to the oldest of them again.
//
// The host pages by offset. A row added or moved to the head while the walk pages (Data Center's
// pull request updated mid-walk) shifts the rest down: a page repeats a row, none is skipped, and
// the moved row itself, newer than anything the walk saw, is read by the next walk. So the
// collection must gain rows only at its head, ordered by a time that never goes back.
// One object per walk; not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/time.h"

namespace leadline::sources {

// What a page held, as the walk needs it.
struct PageRows {
  std::int64_t received = 0;
  std::int64_t changed = 0;  // rows new or different in the store (when the caller knows)
  std::int64_t timed = 0;    // rows with a time (Saw); the others say nothing about the order
  common::UnixSeconds oldest = 0;
  common::UnixSeconds newest = 0;
  std::optional<common::UnixSeconds> oldest_unfinished;  // a row that will still change
  bool out_of_order = false;                             // a row newer than the one before it

  // Counts a row of time `at`; `unfinished` when the row will still change.
  void Saw(common::UnixSeconds at, bool unfinished = false) {
    out_of_order = out_of_order || (timed > 0 && at > last_);
    last_ = at;
    oldest = timed++ == 0 ? at : std::min(oldest, at);
    ++received;
    newest = std::max(newest, at);
    if (unfinished) oldest_unfinished = std::min(oldest_unfinished.value_or(at), at);
  }
  // Counts a row that has no time yet (a deployment not started).
  void SawUntimed() { ++received; }

 private:
  common::UnixSeconds last_ = 0;
};

class NewestFirstWalk {
 public:
  // `entity` names the walk in errors; the first walk never goes below `since`. With
  // `check_order`, the order is the walk's request, not the host's documented promise: rows out
  // of order (on a page, or a page newer than the one before) mean the host ignored it, and the
  // walk then reads to the end rather than stop at its mark.
  NewestFirstWalk(std::string entity, common::UnixSeconds since, bool check_order = false)
      : entity_(std::move(entity)), since_(since), check_order_(check_order) {}

  // Takes up the stored cursor (empty: no walk yet). Returns the URL the walk resumes at, or ""
  // when it starts at the newest page. An unreadable cursor is an error.
  common::Result<std::string> Start(const std::string& stored);
  // The resume URL was not known to the host (an expired `ctx`): the walk starts again at the
  // newest page, keeping what it had reached.
  void Restart() { cursor_.resume_url.clear(); }
  bool resuming() const { return !cursor_.resume_url.empty(); }

  // After a page: the cursor to save with its rows, and whether the walk ends with it.
  struct Step {
    std::string cursor;
    bool done = false;
  };
  Step Next(const PageRows& rows, const std::string& next_url);

  // The mark the last finished walk stored in `stored` left: the newest row it stored, or the
  // oldest that was still changing; 0 when none finished.
  static common::Result<common::UnixSeconds> Mark(const std::string& stored,
                                                  const std::string& entity);

 private:
  // The stored cursor. Between walks only `mark` is set; during one, the rest says where it is.
  struct Cursor {
    common::UnixSeconds mark = 0;
    common::UnixSeconds floor = 0;
    common::UnixSeconds newest = 0;
    std::optional<common::UnixSeconds> oldest_unfinished;
    std::string resume_url;

    // The mark a finished walk leaves for the next one.
    common::UnixSeconds NextMark() const {
      const common::UnixSeconds reached = std::max(mark, newest);
      return oldest_unfinished ? std::min(*oldest_unfinished, reached) : reached;
    }
  };
  static std::string Serialize(const Cursor& cursor);
  static common::Result<Cursor> Parse(const std::string& text, const std::string& entity);

  std::string entity_;
  common::UnixSeconds since_;
  bool check_order_;
  Cursor cursor_;
  bool unordered_ = false;
  std::optional<common::UnixSeconds> previous_oldest_;
};

}  // namespace leadline::sources
