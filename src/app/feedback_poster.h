// Posts one queued feedback row (store/feedback_outbox.h) on its code host: renders what the pull
// request gets now (feedback_preview.h), then, through the client of the repository's own
// connection (and so its request budget), puts it where the repository's mode says: Bitbucket
// Cloud and Data Center a Code Insights report on the head commit (or, in comment mode or when the
// head is unknown, one comment kept by its marker); GitLab one merge-request note. Bots' pull
// requests get nothing. Only repositories of a stored connection are posted to, with that
// connection's credentials; secrets never reach an error message. Single-threaded per store.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/connection_clients.h"
#include "app/feedback_preview.h"
#include "auth/secret_box.h"
#include "config/settings.h"
#include "model/connection.h"
#include "store/store.h"

namespace leadline::app {

struct FeedbackPostContext {
  store::Store& store;
  const std::vector<model::Connection>& connections;
  const auth::SecretBox& box;
  ConnectionClients& clients;
  const config::Settings& settings;
  std::string dashboard_url;  // for the link; none when empty
  std::string snapshots_dir;
  // Repositories' bases read so far, by id: posts on one repository read it once (may be null).
  std::map<std::int64_t, std::shared_ptr<const FeedbackBasis>>* bases = nullptr;
};

// What a post did, for the audit log and the retry: the connection posted through, the host's
// last HTTP status (0: no answer) and how long it asked to wait (429/503 with Retry-After).
struct FeedbackPostTrace {
  std::string connection;
  int status = 0;
  common::Seconds retry_after = 0;
};

enum class FeedbackPostOutcome { kPosted, kSkippedBot };

// NotFound when the repository or pull request is not in the store; PermissionDenied when the
// credentials may not post (naming what they need); the host's errors otherwise.
common::Result<FeedbackPostOutcome> PostFeedback(const FeedbackPostContext& context,
                                                 const store::FeedbackOutboxRow& row,
                                                 store::FeedbackMode mode, common::UnixSeconds now,
                                                 FeedbackPostTrace* trace = nullptr);

}  // namespace leadline::app
