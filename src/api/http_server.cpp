// The listen backlog is a compile-time constant of cpp-httplib; CMake sets it for every target
// that includes httplib.h, so that all of them agree.
#include "api/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <thread>

#include "api/responses.h"

namespace leadline::api {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

HttpRequest ToRequest(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.headers) out.headers.emplace(Lower(name), value);
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  out.body = in.body;
  out.remote_address = in.remote_addr;
  return out;
}

void Write(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) to.set_header(name, value);
  to.set_content(from.body, from.content_type.c_str());
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  httplib::Server server;
  std::map<std::pair<std::string, std::string>, RouteHandler> routes;
  RequestObserver observer;
  std::function<std::optional<HttpResponse>(const std::string&)> get_fallback;

  // Every request goes through here: route, time, observe.
  void Handle(const httplib::Request& raw, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    const HttpRequest request = ToRequest(raw);
    HttpResponse response;
    // The library sends HEAD to the GET handlers and drops the body it answers.
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    const auto route = routes.find({method, request.path});
    std::optional<HttpResponse> fallback;
    if (route == routes.end() && method == "GET" && get_fallback) {
      fallback = get_fallback(request.path);
    }
    if (route != routes.end()) {
      response = route->second(request);
    } else if (fallback) {
      response = std::move(*fallback);
    } else {
      const bool known_path = std::any_of(routes.begin(), routes.end(), [&](const auto& entry) {
        return entry.first.second == request.path;
      });
      response = known_path ? ErrorResponse(405, "method " + method + " is not allowed here")
                            : ErrorResponse(404, "no such endpoint: " + request.path);
    }
    Write(response, res);
    if (observer) {
      const std::string label = route != routes.end() ? request.path
                                : fallback            ? "dashboard"
                                                      : "unmatched";
      observer(request, response, label,
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                   .count());
    }
  }
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  // cpp-httplib gives each keep-alive connection a pool thread while it stays open, and a
  // browser opens six to a host: a pool smaller than the connections would leave a request
  // waiting for an idle connection's keep-alive to time out.
  const int threads = impl_->options.threads > 0
                          ? impl_->options.threads
                          : std::max(32, 8 * static_cast<int>(std::thread::hardware_concurrency()));
  impl_->server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl_->server.set_tcp_nodelay(true);
  // The library's default also sets SO_REUSEPORT, which would let a second server bind a port
  // already in use and share its connections; only SO_REUSEADDR (restart after TIME_WAIT).
  impl_->server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  impl_->server.set_payload_max_length(impl_->options.max_body_bytes);
  impl_->server.set_keep_alive_max_count(1000);
  impl_->server.set_keep_alive_timeout(2);  // seconds an idle connection keeps its thread
  // The library answers a body over the limit with 413 (and a malformed request with 400)
  // before any handler runs: give it the same JSON error shape as everything else, and show it
  // to the observer as "refused".
  Impl* impl = impl_.get();
  impl_->server.set_error_handler([impl](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler's own answer, already observed
    const HttpResponse error =
        ErrorResponse(res.status, res.status == 413 ? "the request body is too large"
                                                    : "the request could not be handled");
    res.set_content(error.body, error.content_type.c_str());
    if (impl->observer) impl->observer(ToRequest(req), error, "refused", 0);
  });
  // A handler that throws is a bug: answer 500 and say what happened on stderr.
  impl_->server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "leadline: error: %s %s failed: %s\n", req.method.c_str(),
                     req.path.c_str(), what.c_str());
        const HttpResponse response = ErrorResponse(500, "internal error; see the server's log");
        res.status = 500;
        res.set_content(response.body, response.content_type.c_str());
      });
  const auto dispatch = [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Handle(req, res);
  };
  impl_->server.Get(".*", dispatch);
  impl_->server.Post(".*", dispatch);
  impl_->server.Put(".*", dispatch);
  impl_->server.Delete(".*", dispatch);
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& method, const std::string& path, RouteHandler handler) {
  impl_->routes[{method, path}] = std::move(handler);
}

void HttpServer::SetGetFallback(
    std::function<std::optional<HttpResponse>(const std::string& path)> fallback) {
  impl_->get_fallback = std::move(fallback);
}

void HttpServer::SetObserver(RequestObserver observer) { impl_->observer = std::move(observer); }

common::Result<int> HttpServer::Bind() {
  const ServerOptions& o = impl_->options;
  const int port = o.port == 0 ? impl_->server.bind_to_any_port(o.host)
                               : (impl_->server.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    return common::Status::Unavailable("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                       " (in use, or not an address of this machine)");
  }
  return port;
}

common::Status HttpServer::Serve() {
  if (!impl_->server.listen_after_bind()) {
    return common::Status::Unavailable("the server stopped accepting connections");
  }
  return common::Status::Ok();
}

void HttpServer::Stop() {
  if (impl_->server.is_running()) impl_->server.stop();
}

}  // namespace leadline::api
