// What the connections of one HttpServer share: the options, the routing table (the one place
// routes live), the observer, the worker pool that runs handlers, the open connections with
// their count per client address, the memory budget of requests, and whether the server is
// stopping. Internal to http_server.cpp and http_connection.cpp.
//
// Thread-safety: routes and the observer are set before Serve() and only read after; admission,
// the connection registry, the memory budget and stopping are safe from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/http_server.h"
#include "api/memory_budget.h"
#include "api/worker_pool.h"

namespace leadline::api {

class HttpConnection;

class ServerCore {
 public:
  explicit ServerCore(ServerOptions options);

  const ServerOptions& options() const { return options_; }
  // Before Serve(): the cap on open connections, where the options left it to the server.
  void SetMaxConnections(int most) { options_.max_connections = most; }
  WorkerPool& workers() { return workers_; }
  MemoryBudget& memory() { return memory_; }

  void AddRoute(const std::string& method, const std::string& path, RouteHandler handler,
                RouteOptions route_options);
  void SetGetFallback(std::function<std::optional<HttpResponse>(const std::string&)> fallback);
  void SetObserver(RequestObserver observer);

  bool AcceptsGzip(const std::string& method, const std::string& path) const;
  // The route `path` goes to: the pattern it matches, else itself.
  std::string RoutePath(const std::string& path) const;
  // Routes, times and observes one request; runs on a worker thread. A handler that throws is
  // answered 500 and reported on stderr.
  HttpResponse Handle(const HttpRequest& request) const;
  // Tells the observer of an answer the server gave before any route ran.
  void ObserveRefusal(const HttpRequest& request, const HttpResponse& response) const;

  // Counts a new connection from `address`; false (and nothing counted) past a cap.
  bool Admit(const std::string& address);
  void Register(HttpConnection* key, std::weak_ptr<HttpConnection> connection);
  // Forgets an admitted connection; the last one to go while stopping calls `on_drained`.
  void Release(HttpConnection* key, const std::string& address);
  // Marks the server stopping and returns the open connections, to be told so.
  std::vector<std::shared_ptr<HttpConnection>> BeginStop();
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  bool Drained();
  void SetOnDrained(std::function<void()> on_drained);

 private:
  struct Route {
    RouteHandler handler;
    RouteOptions options;
  };

  ServerOptions options_;
  std::map<std::pair<std::string, std::string>, Route> routes_;  // by method and path or pattern
  std::set<std::string> paths_;        // the paths (and patterns) of routes_
  std::vector<std::string> patterns_;  // those that are patterns
  std::function<std::optional<HttpResponse>(const std::string&)> get_fallback_;
  RequestObserver observer_;

  std::mutex mutex_;  // guards the four below
  int open_ = 0;
  std::map<std::string, int> open_by_address_;
  std::map<HttpConnection*, std::weak_ptr<HttpConnection>> connections_;
  std::function<void()> on_drained_;
  std::atomic<bool> stopping_ = false;
  MemoryBudget memory_;  // before the workers: their tasks return charges

  WorkerPool workers_;  // last: joined first, while everything its tasks use is alive
};

}  // namespace leadline::api
