#include "api/http_server_core.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "api/request_text.h"
#include "api/responses.h"

namespace leadline::api {
namespace {

// Whether `path` is a pattern: its last segment is "{name}", matching any one segment.
bool IsPattern(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return path.ends_with("}") && slash != std::string::npos && path.compare(slash + 1, 1, "{") == 0;
}

// Whether `path` (a request's) matches the pattern `pattern`.
bool MatchesPattern(const std::string& pattern, const std::string& path) {
  const std::size_t prefix = pattern.rfind('/') + 1;
  return path.size() > prefix && path.compare(0, prefix, pattern, 0, prefix) == 0 &&
         path.find('/', prefix) == std::string::npos;
}

}  // namespace

int DefaultRequestThreads() {
  return std::max(8, 4 * static_cast<int>(std::thread::hardware_concurrency()));
}

ServerCore::ServerCore(ServerOptions options)
    : options_(std::move(options)),
      memory_(options_.max_request_memory_bytes),
      workers_(options_.threads > 0 ? options_.threads : DefaultRequestThreads()) {}

void ServerCore::AddRoute(const std::string& method, const std::string& path, RouteHandler handler,
                          RouteOptions route_options) {
  routes_[{method, path}] = Route{std::move(handler), route_options};
  paths_.insert(path);
  if (IsPattern(path)) patterns_.push_back(path);
}

std::string ServerCore::RoutePath(const std::string& path) const {
  if (paths_.contains(path)) return path;
  for (const std::string& pattern : patterns_) {
    if (MatchesPattern(pattern, path)) return pattern;
  }
  return path;
}

void ServerCore::SetGetFallback(
    std::function<std::optional<HttpResponse>(const std::string&)> fallback) {
  get_fallback_ = std::move(fallback);
}

void ServerCore::SetObserver(RequestObserver observer) { observer_ = std::move(observer); }

bool ServerCore::AcceptsGzip(const std::string& method, const std::string& path) const {
  const auto route = routes_.find({method, RoutePath(path)});
  return route != routes_.end() && route->second.options.accepts_gzip;
}

HttpResponse ServerCore::Handle(const HttpRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  HttpResponse response;
  // HEAD is answered as GET; the connection drops the body.
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  const std::string route_path = RoutePath(request.path);
  const auto route = routes_.find({method, route_path});
  std::optional<HttpResponse> fallback;
  std::string label;
  try {
    if (route != routes_.end()) {
      label = route_path;
      response = route->second.handler(request);
    } else if (method == "GET" && get_fallback_ && (fallback = get_fallback_(request.path))) {
      label = "dashboard";
      response = std::move(*fallback);
    } else {
      label = "unmatched";
      const bool known_path = std::any_of(routes_.begin(), routes_.end(), [&](const auto& entry) {
        return entry.first.second == route_path;
      });
      response = known_path ? ErrorResponse(405, "method " + method + " is not allowed here")
                            : ErrorResponse(404, "no such endpoint: " + request.path);
      response.refusal = known_path ? "method_not_allowed" : "unknown_path";
    }
  } catch (const std::exception& error) {
    // A handler that throws is a bug: say what happened, and answer 500.
    std::fprintf(stderr, "leadline: error: %s %s failed: %s\n", request.method.c_str(),
                 Printable(request.path).c_str(), error.what());
    response = ErrorResponse(500, "internal error; see the server's log");
  }
  if (observer_) {
    observer_(request, response, label,
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count());
  }
  return response;
}

void ServerCore::ObserveRefusal(const HttpRequest& request, const HttpResponse& response) const {
  if (observer_) observer_(request, response, "refused", 0);
}

bool ServerCore::Admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  int& from_address = open_by_address_[address];
  if (open_ >= options_.max_connections || from_address >= options_.max_connections_per_client) {
    if (from_address == 0) open_by_address_.erase(address);
    return false;
  }
  ++open_;
  ++from_address;
  return true;
}

void ServerCore::Register(HttpConnection* key, std::weak_ptr<HttpConnection> connection) {
  std::lock_guard lock(mutex_);
  connections_.emplace(key, std::move(connection));
}

void ServerCore::Release(HttpConnection* key, const std::string& address) {
  std::function<void()> drained;
  {
    std::lock_guard lock(mutex_);
    connections_.erase(key);
    --open_;
    const auto found = open_by_address_.find(address);
    if (found != open_by_address_.end() && --found->second <= 0) open_by_address_.erase(found);
    if (open_ == 0 && stopping()) drained = on_drained_;
  }
  if (drained) drained();
}

std::vector<std::shared_ptr<HttpConnection>> ServerCore::BeginStop() {
  std::lock_guard lock(mutex_);
  stopping_.store(true, std::memory_order_release);
  std::vector<std::shared_ptr<HttpConnection>> open;
  for (const auto& [key, weak] : connections_) {
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  }
  return open;
}

void ServerCore::SetOnDrained(std::function<void()> on_drained) {
  std::lock_guard lock(mutex_);
  on_drained_ = std::move(on_drained);
}

bool ServerCore::Drained() {
  std::lock_guard lock(mutex_);
  return open_ == 0;
}

}  // namespace leadline::api
