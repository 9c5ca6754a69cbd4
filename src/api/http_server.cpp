#include "api/http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "api/http_connection.h"
#include "api/http_server_core.h"

namespace leadline::api {
namespace {

namespace net = boost::asio;
using boost::system::error_code;
using tcp = net::ip::tcp;

constexpr int kListenBacklog = 1024;
// Open files kept for the store, the git mirrors and logs when connections are counted.
constexpr int kReservedFiles = 128;
constexpr int kMostConnections = 50'000;
// How long Stop() waits for requests already received before closing what is left.
constexpr std::chrono::seconds kDrainTimeout{10};

// Raises the soft limit on open files to the hard one; returns the limit in force.
int RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur > static_cast<rlim_t>(kMostConnections * 2)
             ? kMostConnections * 2
             : static_cast<int>(limit.rlim_cur);
}

ServerOptions WithDefaults(ServerOptions options) {
  if (options.io_threads <= 0) {
    // Handlers do the work; I/O threads only move bytes, and more of them than needed contend
    // for the scheduler's lock (two on two cores measured 20-30% slower than one).
    options.io_threads =
        std::clamp(static_cast<int>(std::thread::hardware_concurrency()) / 2, 1, 4);
  }
  return options;
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(ServerOptions options) : core(WithDefaults(std::move(options))) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(io), [this](error_code error, tcp::socket socket) {
      // On `strand`, as everything that touches the acceptor.
      if (!acceptor.is_open()) return;
      if (error) {
        // Out of file descriptors, most likely: try again shortly rather than spin.
        retry.expires_after(std::chrono::milliseconds(50));
        retry.async_wait([this](error_code waited) {
          if (!waited) Accept();
        });
        return;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const tcp::endpoint peer = socket.remote_endpoint(ignored);
      std::string address = peer.address().to_string();
      if (address.rfind("::ffff:", 0) == 0) address.erase(0, 7);  // an IPv4 client of [::]
      const bool admitted = core.Admit(address);
      auto connection =
          std::make_shared<HttpConnection>(std::move(socket), core, address, admitted);
      if (admitted) {
        core.Register(connection.get(), connection);
        connection->Start();
      } else {
        connection->RefuseOverload();
      }
      Accept();
    });
  }

  // Lets io.run() return: called once, when the last connection has gone after Stop().
  void ReleaseWork() {
    net::post(strand, [this] {
      drain_deadline.cancel();
      std::call_once(released, [this] { work.reset(); });
    });
  }

  ServerCore core;  // first: connections release themselves to it as they are destroyed
  net::io_context io;
  net::strand<net::io_context::executor_type> strand = net::make_strand(io);
  tcp::acceptor acceptor{strand};
  net::steady_timer retry{strand};
  net::steady_timer drain_deadline{strand};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::once_flag released;
  std::atomic<bool> stop_requested = false;
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& method, const std::string& path, RouteHandler handler,
                       RouteOptions route_options) {
  impl_->core.AddRoute(method, path, std::move(handler), route_options);
}

void HttpServer::SetGetFallback(
    std::function<std::optional<HttpResponse>(const std::string& path)> fallback) {
  impl_->core.SetGetFallback(std::move(fallback));
}

void HttpServer::SetObserver(RequestObserver observer) {
  impl_->core.SetObserver(std::move(observer));
}

common::Result<int> HttpServer::Bind() {
  const ServerOptions& o = impl_->core.options();
  const auto fail = [&](const std::string& why) {
    return common::Status::Unavailable("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                       " (" + why + ")");
  };
  const int files = RaiseOpenFileLimit();
  if (o.max_connections <= 0) {
    impl_->core.SetMaxConnections(std::clamp(files - kReservedFiles, 1, kMostConnections));
  }
  error_code error;
  const net::ip::address address =
      net::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, error);
  if (error) return fail("not an IP address of this machine");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (error) return fail(error.message());
  // Only SO_REUSEADDR (a restart while old connections are in TIME_WAIT); never SO_REUSEPORT,
  // which would let a second server share the port.
  acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  acceptor.bind(endpoint, error);
  if (error) return fail("in use, or not an address of this machine");
  acceptor.listen(kListenBacklog, error);
  if (error) return fail(error.message());
  return static_cast<int>(acceptor.local_endpoint().port());
}

common::Status HttpServer::Serve() {
  Impl& impl = *impl_;
  if (!impl.acceptor.is_open()) return common::Status::FailedPrecondition("Bind() first");
  if (impl.stop_requested) return common::Status::Ok();
  impl.work.emplace(impl.io.get_executor());
  impl.core.SetOnDrained([&impl] { impl.ReleaseWork(); });
  impl.Accept();
  std::vector<std::thread> io_threads;
  for (int i = 1; i < impl.core.options().io_threads; ++i) {
    io_threads.emplace_back([&impl] { impl.io.run(); });
  }
  impl.io.run();
  for (std::thread& thread : io_threads) thread.join();
  impl.core.workers().Stop();
  impl.core.SetOnDrained({});  // connections left over end with the server, not through `io`
  return common::Status::Ok();
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  if (impl.stop_requested.exchange(true)) return;
  net::post(impl.strand, [&impl] {
    error_code ignored;
    impl.acceptor.close(ignored);
    impl.retry.cancel();
    for (const std::shared_ptr<HttpConnection>& connection : impl.core.BeginStop()) {
      connection->Stop();
    }
    if (impl.core.Drained()) impl.ReleaseWork();
    // Requests that take longer than this are cut off with their connections.
    impl.drain_deadline.expires_after(kDrainTimeout);
    impl.drain_deadline.async_wait([&impl](error_code error) {
      if (!error) impl.io.stop();
    });
  });
}

}  // namespace leadline::api
