// leadline_webhook_memory_server: what `leadline serve` does for a webhook delivery, minus the
// inbox write. It runs the same HTTP server (same default thread count, same request observer)
// and answers POST /v1/bitbucket/webhook after the same checks: the X-Hub-Signature HMAC over
// the body, the delivery headers, the JSON parse and the payload's shape; then 200 from memory.
// bench/server_bench.sh measures it beside `leadline serve` to show what durability costs.
//
//   leadline_webhook_memory_server --secret-file FILE
//
// Prints "Listening on http://127.0.0.1:PORT" and serves until SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "api/http_server.h"
#include "api/responses.h"
#include "api/server_metrics.h"
#include "sources/bitbucket/webhook_payloads.h"
#include "sources/contract/webhook_signature.h"

namespace {

using namespace leadline;

// The webhook secret, from `--secret-file FILE`; empty when the flags are not that.
std::string ReadSecret(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--secret-file") return "";
  std::ifstream in(argv[2]);
  std::string secret;
  std::getline(in, secret);
  return secret;
}

// The checks of api/webhook_routes.cpp, in the same order, with the same read of the payload.
api::HttpResponse Receive(const std::string& secret, api::ServerMetrics& metrics,
                          const api::HttpRequest& request) {
  const auto rejected = [&](int status, const std::string& message) {
    metrics.CountDelivery("rejected");
    return api::ErrorResponse(status, message);
  };
  if (!sources::VerifyHubSignature(request.Header("x-hub-signature"), request.body, secret)) {
    return rejected(401, "the signature does not match the secret");
  }
  if (request.Header("x-request-uuid").empty() || request.Header("x-event-key").empty()) {
    return rejected(400, "a delivery needs X-Event-Key and X-Request-UUID");
  }
  const std::string event_key = request.Header("x-event-key");
  const sources::bitbucket::WebhookPayload payload =
      sources::bitbucket::ReadPayload(event_key, request.body);
  if (!payload.is_json) return rejected(400, "the body is not valid JSON");
  if (!payload.has_shape) {
    return rejected(422, "the body of a " + event_key + " delivery has no repository");
  }
  metrics.CountDelivery("accepted");
  api::HttpResponse response;
  response.body = "{\"accepted\":true,\"duplicate\":false}\n";
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string secret = ReadSecret(argc, argv);
  if (secret.empty()) {
    std::fprintf(stderr, "usage: leadline_webhook_memory_server --secret-file FILE\n");
    return 2;
  }
  // Signals go to one waiting thread; the server's threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  api::ServerOptions server_options;  // the default thread count, as serve's
  server_options.port = 0;
  api::ServerMetrics metrics;
  api::HttpServer server(server_options);
  server.Route("POST", "/v1/bitbucket/webhook",
               [&](const api::HttpRequest& request) { return Receive(secret, metrics, request); });
  server.SetObserver(
      [&metrics](const api::HttpRequest&, const api::HttpResponse& res, const std::string& route,
                 double elapsed_ms) { metrics.CountRequest(route, res.status, elapsed_ms); });
  const auto port = server.Bind();
  if (!port.ok()) return std::fprintf(stderr, "%s\n", port.status().message().c_str()), 1;
  std::atomic<bool> stopping = false;
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    stopping = true;
    server.Stop();
  });
  std::printf("Listening on http://127.0.0.1:%d\n", *port);
  std::fflush(stdout);
  const common::Status served = server.Serve();
  if (!stopping) pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter
  waiter.join();
  if (!served.ok() && !stopping) return std::fprintf(stderr, "%s\n", served.message().c_str()), 1;
  return 0;
}
