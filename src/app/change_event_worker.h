// Sends production deployments to PagerDuty as change events inside `leadline serve`
// (change_events.h): a background thread that, every `poll`, sends the events due (claimed for
// this server, `owner`, for a lease), and every `scan_every` first queues the deployments found
// since. Several servers on one store queue each deployment once and send it once: the outbox's
// rows are unique and claimed. Requests go through a client that retries a 429 or 5xx a few times
// (honouring Retry-After) before the outbox's own backoff takes over. Stop() finishes the event
// in hand. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "app/change_events.h"
#include "config/paths.h"
#include "config/settings.h"
#include "http/http_client.h"

namespace leadline::app {

struct ChangeEventWorkerOptions {
  common::Seconds poll = 5;
  common::Seconds scan_every = 15;  // the first scan is at once
  ChangeEventSendOptions send;
};

class ChangeEventWorker {
 public:
  // `transport` (libcurl in serve) must outlive the worker. `log` is told of each failure (one
  // line, no secrets); may be empty.
  ChangeEventWorker(config::Paths paths, config::Settings settings, http::HttpClient& transport,
                    ChangeEventWorkerOptions options, std::function<void(const std::string&)> log);
  ~ChangeEventWorker();  // Stop()

  void Start();
  void Stop();

 private:
  void Run();
  // One round on `store`: a scan when one is due, then sending until nothing more is due.
  common::Status Round(store::Store& store, const auth::SecretBox& box, bool scan);

  const config::Paths paths_;
  const config::Settings settings_;
  http::HttpClient& transport_;
  const ChangeEventWorkerOptions options_;
  const std::function<void(const std::string&)> log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace leadline::app
