// Leadline's HTTP server: cpp-httplib configured for speed (TCP no-delay, a sized thread pool, a
// request body limit answered with 413, a listen backlog of 1024), exact-path routes, and an
// observer told of every answered request (for /metrics and the audit log). Stop() is graceful:
// the listener closes, and requests in flight finish before Serve() returns.
// Routes are added before Serve(); Serve() and Stop() may be called from different threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http_types.h"
#include "common/status.h"

namespace leadline::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  int threads = 0;  // 0: eight per core, at least 32
  std::size_t max_body_bytes = 1 << 20;
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;
// `route` is the matched route's path, "dashboard", "unmatched", or "refused" (answered by the
// HTTP library before any route: a body over the limit): a bounded set, fit for metric labels.
using RequestObserver = std::function<void(const HttpRequest&, const HttpResponse&,
                                           const std::string& route, double elapsed_ms)>;

class HttpServer {
 public:
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Route(const std::string& method, const std::string& path, RouteHandler handler);
  // Answers the GETs no route matches (the dashboard's files); nullopt for a 404.
  void SetGetFallback(std::function<std::optional<HttpResponse>(const std::string& path)> fallback);
  void SetObserver(RequestObserver observer);

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  common::Result<int> Bind();
  // Accepts requests until Stop(); Bind() first.
  common::Status Serve();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadline::api
