// Leadline's HTTP/1.1 server, built to sit on a public URL: event-driven I/O (Boost.Beast on
// Asio), so that idle and slow connections hold no thread, and request handlers on a bounded
// worker pool of their own (handlers block on the store).
//
// Every connection is bounded: a deadline for its whole header (from its first byte), one for
// its body that grows with the body's size, an idle keep-alive timeout, a cap on connections in
// total and per client address (a 503 with Retry-After past either), a body limit counted on
// the bytes received, chunked or not, and a budget for the memory all requests hold together. A
// `Content-Encoding` is refused with 415, except gzip on routes that accept it, which is inflated
// as a stream under the same limit. A request that is not valid UTF-8 in its path, query, headers
// or body is a 400. Keep-alive and pipelining work; requests on one connection are answered in
// order.
//
// Routes are exact paths, or patterns whose last segment is "{name}" and matches any one segment
// ("/v1/webhooks/{connection}"; an exact path wins over a pattern). An observer is told of every
// answer (for /metrics and the audit log) with the route's path (a pattern as written), or
// "refused" for what the server refused before any route ran. Stop() is
// graceful: the listener closes, idle connections close, and every request already received is
// answered before Serve() returns.
//
// Routes are added before Serve(); Serve() and Stop() may be called from different threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http_types.h"
#include "common/status.h"

namespace leadline::api {

// Request handlers when ServerOptions::threads is 0: four per core, at least 8.
int DefaultRequestThreads();

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;     // 0: any free port (tests)
  int threads = 0;     // request handlers; 0: DefaultRequestThreads()
  int io_threads = 0;  // socket I/O; 0: one per two cores, at most 4
  std::size_t max_body_bytes = 1 << 20;
  int header_timeout_ms = 10'000;  // the whole header, from its first byte
  // A body's deadline: the header's, plus a second for each kMinBodyBytesPerSecond of its size.
  int idle_timeout_ms = 15'000;  // a keep-alive connection waiting for its next request
  int max_connections = 0;       // 0: as many as open files allow, less a reserve, at most 50,000
  int max_connections_per_client = 1024;
  // What requests being read and handled may hold at once (read buffers, bodies, inflated
  // bodies); a request that would pass it is answered 503 with Retry-After.
  std::size_t max_request_memory_bytes = std::size_t{512} << 20;
};

// The slowest upload the body deadline allows for.
inline constexpr std::size_t kMinBodyBytesPerSecond = 64 * 1024;
// The largest request header (request line and fields) read; a larger one is answered 431.
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;
// `route` is the matched route's path, "dashboard", "unmatched", or "refused" (answered by the
// server before any route: a body over the limit, an encoding not accepted, text that is not
// UTF-8, too many connections): a bounded set, fit for metric labels. Called on a worker thread.
using RequestObserver = std::function<void(const HttpRequest&, const HttpResponse&,
                                           const std::string& route, double elapsed_ms)>;

struct RouteOptions {
  bool accepts_gzip = false;  // a `Content-Encoding: gzip` body is inflated for the handler
};

class HttpServer {
 public:
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Route(const std::string& method, const std::string& path, RouteHandler handler,
             RouteOptions route_options = {});
  // Answers the GETs no route matches (the dashboard's files); nullopt for a 404.
  void SetGetFallback(std::function<std::optional<HttpResponse>(const std::string& path)> fallback);
  void SetObserver(RequestObserver observer);

  // Binds the listening socket; returns the port (the chosen one when options.port is 0).
  // Raises the process's open-file limit to its hard limit, so that connections can use it.
  common::Result<int> Bind();
  // Accepts requests until Stop(); Bind() first.
  common::Status Serve();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadline::api
