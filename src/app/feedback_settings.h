// `leadline feedback enable|disable|status`: which repositories get delivery figures on their pull
// requests (off by default), and how the outbox of posts stands. Patterns are shell-style
// (fnmatch) on a repository's location ("acme/*") and match the selected repositories of a
// connection at the time they are given: a repository selected later is not covered until it is
// enabled too. Single-threaded; works on the store it is given.
#pragma once

#include <string>
#include <vector>

#include "config/settings.h"
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

// Makes the store follow [feedback] of leadline.toml (config::Settings::FeedbackOverride), which
// wins over `enable|disable`: the selected repositories of a connection it turns on get feedback
// in its mode, those it turns off lose it (and their queued posts); a repository whose host
// refused a post stays refused. Returns what changed, one line each.
common::Result<std::vector<std::string>> ApplyFeedbackOverrides(store::Store& store,
                                                                const config::Settings& settings,
                                                                common::UnixSeconds now);

common::Result<FeedbackStatus> LoadFeedbackStatus(store::Store& store);

}  // namespace leadline::app
