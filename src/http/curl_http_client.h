// CurlHttpClient: HttpClient over libcurl. Each call takes an easy handle no other call is using
// (made when none is idle) and gives it back after: connections stay open in the handles and the
// next calls reuse them; the DNS cache is shared. TLS verified, redirects followed without
// resending credentials to another host, and transport failures explained for people (DNS, TLS,
// refused, timed out) with the URL redacted. Thread-safe: calls may come from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/http_client.h"

namespace leadline::http {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  std::string user_agent = "leadline";
  // A larger answer body is an error: the transfer stops there, before it costs more memory.
  std::size_t max_response_bytes = std::size_t{256} << 20;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options = {});
  ~CurlHttpClient() override;

  common::Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  struct Shared;
  CurlOptions options_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace leadline::http
