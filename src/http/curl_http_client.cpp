#include "http/curl_http_client.h"

#include <curl/curl.h>

#include <mutex>
#include <vector>

namespace leadline::http {
namespace {

// libcurl wants one global init per process before any thread uses it.
void EnsureCurl() {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialized;
}

// The body being received, up to a size: past it the transfer stops.
struct BoundedBody {
  std::string* body;
  std::size_t limit;
  bool exceeded = false;
};

std::size_t AppendBody(char* data, std::size_t size, std::size_t count, void* out) {
  auto* into = static_cast<BoundedBody*>(out);
  if (into->body->size() + size * count > into->limit) {
    into->exceeded = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  into->body->append(data, size * count);
  return size * count;
}

std::size_t AppendHeader(char* data, std::size_t size, std::size_t count, void* out) {
  auto* response = static_cast<HttpResponse*>(out);
  std::string line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after a redirect or 100 Continue)
    return size * count;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  std::string value = line.substr(colon + 1);
  const std::size_t first = value.find_first_not_of(" \t");
  const std::size_t last = value.find_last_not_of(" \t\r\n");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  response->headers[line.substr(0, colon)] = value;
  return size * count;
}

common::Status TransportError(CURLcode code, const std::string& url, const char* detail) {
  const std::string where = RedactUrl(url);
  const std::string why = detail && *detail ? detail : curl_easy_strerror(code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return common::Status::Unavailable("cannot resolve the host of " + where +
                                         " (DNS): check the URL and the network: " + why);
    case CURLE_COULDNT_CONNECT:
      return common::Status::Unavailable("cannot connect to " + where +
                                         ": is the server up and the port right? " + why);
    case CURLE_OPERATION_TIMEDOUT:
      return common::Status::Unavailable("no answer from " + where + " in time: " + why);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return common::Status::Unavailable(
          "TLS failed for " + where +
          ": the server's certificate is not trusted here (for a private CA, install it in the "
          "system trust store): " +
          why);
    default:
      return common::Status::Unavailable("request to " + where + " failed: " + why);
  }
}

}  // namespace

// What the calls share: the DNS cache, and the easy handles not in use. Connections are kept by
// the easy handles, each its own, and reused by the next call that takes the handle: libcurl
// (7.88, Debian 12's) does not support one connection cache shared by threads at once, and
// sharing it (CURL_LOCK_DATA_CONNECT) corrupted the heap when a sync read details four at a time.
struct CurlHttpClient::Shared {
  // Easy handles kept idle at most, each with at most one connection open: as many idle
  // connections as the shared cache kept before (libcurl keeps four an easy handle), so that a
  // burst of calls leaves no more connections waiting on the upstream's workers than it did.
  // Handles beyond them are cleaned up when their call ends, closing their connections.
  static constexpr std::size_t kMostIdle = 4;

  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
  std::mutex idle_mutex;
  std::vector<CURL*> idle;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
    static_cast<Shared*>(self)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* self) {
    static_cast<Shared*>(self)->locks[data].unlock();
  }

  // An idle handle (its connections open, no options set), or a new one.
  CURL* Take() {
    {
      std::lock_guard lock(idle_mutex);
      if (!idle.empty()) {
        CURL* curl = idle.back();
        idle.pop_back();
        return curl;
      }
    }
    return curl_easy_init();
  }
  void Give(CURL* curl) {
    curl_easy_reset(curl);  // drops the call's options (and pointers); keeps live connections
    {
      std::lock_guard lock(idle_mutex);
      if (idle.size() < kMostIdle) {
        idle.push_back(curl);
        return;
      }
    }
    curl_easy_cleanup(curl);
  }
};

CurlHttpClient::CurlHttpClient(CurlOptions options)
    : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
  EnsureCurl();
  shared_->share = curl_share_init();
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_.get());
  curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, &Shared::Lock);
  curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, &Shared::Unlock);
}

CurlHttpClient::~CurlHttpClient() {
  // The handles first: a share still used by a handle is not cleaned up.
  for (CURL* curl : shared_->idle) curl_easy_cleanup(curl);
  curl_share_cleanup(shared_->share);
}

common::Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  CURL* curl = shared_->Take();
  if (curl == nullptr) return common::Status::Internal("libcurl could not start a request");
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  std::string authorization;
  if (request.credentials.kind == Credentials::Kind::kBearer) {
    authorization = "Authorization: Bearer " + request.credentials.secret;
    headers = curl_slist_append(headers, authorization.c_str());
  } else if (request.credentials.kind == Credentials::Kind::kToken) {
    authorization = "Authorization: Token token=" + request.credentials.secret;
    headers = curl_slist_append(headers, authorization.c_str());
  } else if (request.credentials.kind == Credentials::Kind::kGenieKey) {
    authorization = "Authorization: GenieKey " + request.credentials.secret;
    headers = curl_slist_append(headers, authorization.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_SHARE, shared_->share);
  curl_easy_setopt(curl, CURLOPT_MAXCONNECTS, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  if (request.credentials.kind == Credentials::Kind::kBasic) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, request.credentials.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, request.credentials.secret.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  // gzip: every Bitbucket serves it, and it costs both ends least (brotli is slow to encode).
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  BoundedBody body{&response.body, options_.max_response_bytes};
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // A failed transfer's connection is closed by libcurl itself; the handle is used again.
  shared_->Give(curl);
  curl_slist_free_all(headers);
  if (body.exceeded) {
    return common::Status::Unavailable("the answer from " + RedactUrl(request.url) +
                                       " is larger than " +
                                       std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (code != CURLE_OK) return TransportError(code, request.url, error);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace leadline::http
