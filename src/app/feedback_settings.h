// `leadline feedback enable|disable|status`: which repositories get delivery figures on their pull
// requests (off by default), and how the outbox of posts stands. Patterns are shell-style
// (fnmatch) on a repository's location ("acme/*") and match the selected repositories of a
// connection at the time they are given: a repository selected later is not covered until it is
// enabled too. Single-threaded; works on the store it is given.
#pragma once

#include <string>
#include <vector>

#include "model/repository.h"
#include "store/store.h"

namespace leadline::app {

// Turns feedback on in `mode` for the selected connected repositories matching any of
// `patterns`; fails, changing nothing, when a pattern matches none. Returns those it covers.
common::Result<std::vector<model::Repository>> EnableFeedback(
    store::Store& store, const std::vector<std::string>& patterns, store::FeedbackMode mode,
    common::UnixSeconds now);

// Turns feedback off (dropping queued posts) for the enabled repositories matching any of
// `patterns`; fails, changing nothing, when a pattern matches none of them.
common::Result<std::vector<std::string>> DisableFeedback(store::Store& store,
                                                         const std::vector<std::string>& patterns);

struct FeedbackStatus {
  std::vector<store::FeedbackRepository> repositories;
  std::vector<store::FeedbackOutboxRow> outbox;  // pending and failed, oldest first
};

inline constexpr std::size_t kMostStatusOutboxRows = 1000;

common::Result<FeedbackStatus> LoadFeedbackStatus(store::Store& store);

}  // namespace leadline::app
