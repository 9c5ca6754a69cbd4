#include "api/http_connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <utility>

#include "api/gzip_body.h"
#include "api/request_text.h"
#include "api/responses.h"
#include "common/text.h"

namespace leadline::api {
namespace {

namespace http = boost::beast::http;
namespace net = boost::asio;
using boost::system::error_code;
using std::chrono::milliseconds;

constexpr milliseconds kWriteTimeout{30'000};
constexpr milliseconds kLingerTimeout{2'000};
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr std::size_t kLingerChunk = 16 * 1024;
// What one read asks the socket for while a request is read.
constexpr std::size_t kReadChunkBytes = kReadBufferBlock;
// Room for a whole header plus what a read brings beyond it (pipelined requests).
constexpr std::size_t kReadBufferBytes = kMaxHeaderBytes + kReadChunkBytes;

bool IsConnectionError(const error_code& error) {
  return error == http::error::end_of_stream || error == net::error::eof ||
         error == net::error::operation_aborted || error == net::error::bad_descriptor ||
         error == net::error::connection_reset || error == net::error::broken_pipe ||
         error == http::error::partial_message;
}

}  // namespace

HttpConnection::HttpConnection(net::ip::tcp::socket socket, ServerCore& core, std::string address,
                               bool admitted)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      buffer_(kReadBufferBytes),
      core_(core),
      address_(std::move(address)),
      admitted_(admitted) {}

HttpConnection::~HttpConnection() {
  if (admitted_) core_.Release(this, address_);
}

void HttpConnection::Start() {
  net::post(socket_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void HttpConnection::Stop() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    // Idle: nothing received that is owed an answer.
    if (self->waiting_ && !self->HasPendingBytes()) self->Close();
  });
}

void HttpConnection::RefuseOverload() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    self->request_.remote_address = self->address_;
    self->request_.method = "?";
    HttpResponse response =
        ErrorResponse(503, "the server has too many connections; retry in a second");
    response.headers.emplace_back("Retry-After", "1");
    response.refusal = "too_many_connections";
    self->core_.workers().Submit([self, request = self->request_, response] {
      self->core_.ObserveRefusal(request, response);
    });
    self->keep_alive_ = false;
    self->Write(std::move(response));
  });
}

bool HttpConnection::HasPendingBytes() {
  if (buffer_.size() > 0) return true;
  error_code error;
  return socket_.is_open() && socket_.available(error) > 0 && !error;
}

void HttpConnection::SetDeadline(milliseconds after) {
  const std::uint64_t generation = ++deadline_generation_;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](error_code error) {
    // A deadline replaced or cleared since is not this one.
    if (error || generation != self->deadline_generation_.load()) return;
    self->Close();
  });
}

void HttpConnection::ClearDeadline() {
  ++deadline_generation_;
  timer_.cancel();
}

void HttpConnection::WaitForRequest() {
  if (!socket_.is_open()) return;
  waiting_ = true;
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request
  if (core_.stopping() && !HasPendingBytes()) return Close();
  // Waiting holds no buffer: an idle connection costs its socket and this timer.
  buffer_.shrink_to_fit();
  buffer_charge_.Return();
  SetDeadline(milliseconds(first_request_ ? core_.options().header_timeout_ms
                                          : core_.options().idle_timeout_ms));
  socket_.async_wait(net::ip::tcp::socket::wait_read,
                     [self = shared_from_this()](error_code error) {
                       if (error) return self->Close();
                       self->ReadHeader();
                     });
}

void HttpConnection::ReadHeader() {
  waiting_ = false;
  first_request_ = false;
  // Beast reads as much as the buffer has room for (at least 512 bytes): room for a whole
  // ordinary request makes it one read, not dozens.
  if (buffer_.capacity() < kReadChunkBytes) {
    std::optional<MemoryBudget::Charge> charge = core_.memory().Take(kReadBufferBytes);
    if (!charge) {
      request_ = HttpRequest();
      request_.remote_address = address_;
      return RefuseBusy();
    }
    buffer_charge_ = std::move(*charge);
    buffer_.reserve(kReadChunkBytes);
  }
  SetDeadline(milliseconds(core_.options().header_timeout_ms));
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
  parser_->body_limit(core_.options().max_body_bytes);
  http::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](error_code error, std::size_t) { self->OnHeader(error); });
}

void HttpConnection::OnHeader(error_code error) {
  request_ = HttpRequest();
  request_.remote_address = address_;
  {
    // What a refusal is audited with: the request line, once it was read (a Content-Length over
    // the limit is refused as soon as it is read, before the rest of the header).
    const auto& header = parser_->get();
    request_.method =
        Printable(std::string_view(header.method_string().data(), header.method_string().size()));
    const std::string_view target(header.target().data(), header.target().size());
    request_.path = Printable(target.substr(0, target.find('?')));
  }
  if (error) {
    if (IsConnectionError(error)) return Close();
    if (error == http::error::header_limit || error == http::error::buffer_overflow) {
      return Refuse(
          431,
          "the request's header is larger than " + std::to_string(kMaxHeaderBytes / 1024) + " KiB",
          "header_too_large");
    }
    if (error == http::error::body_limit) {
      return Refuse(413, "the request body is too large", "body_too_large");
    }
    return Refuse(400, "the request is not valid HTTP/1.1", "bad_request");
  }
  const auto& header = parser_->get();
  head_ = header.method() == http::verb::head;
  keep_alive_ = header.keep_alive();
  version_ = header.version();
  auto target = ParseTarget(std::string_view(header.target().data(), header.target().size()));
  if (!target.ok()) return Refuse(400, target.status().message(), "bad_request");
  request_.path = std::move(target->path);
  request_.query = std::move(target->query);
  for (const auto& field : header) {
    const std::string_view value(field.value().data(), field.value().size());
    const std::string name = common::AsciiLower(
        std::string_view(field.name_string().data(), field.name_string().size()));
    if (!IsValidUtf8(value)) {
      return Refuse(400, "header '" + Printable(name) + "' is not valid UTF-8", "bad_request");
    }
    request_.headers.emplace(name, std::string(value));
  }
  gzip_body_ = false;
  const std::string encoding = common::AsciiLower(request_.Header("content-encoding"));
  if (!encoding.empty() && encoding != "identity") {
    const bool gzip = encoding == "gzip" || encoding == "x-gzip";
    if (!gzip || !core_.AcceptsGzip(request_.method, request_.path)) {
      return Refuse(415,
                    "Content-Encoding '" + Printable(encoding) +
                        "' is not accepted here: send the body uncompressed" +
                        (core_.AcceptsGzip(request_.method, request_.path) ? " or as gzip" : ""),
                    "unsupported_encoding");
    }
    gzip_body_ = true;
  }
  if (parser_->is_done()) return Dispatch();
  // The body's room (what Content-Length announces, else the limit) and, for gzip, what it may
  // inflate to, before any of it is read.
  const auto length = parser_->content_length();
  const std::size_t body_bytes =
      (length ? static_cast<std::size_t>(*length) : core_.options().max_body_bytes) +
      (gzip_body_ ? core_.options().max_body_bytes : 0);
  std::optional<MemoryBudget::Charge> charge = core_.memory().Take(body_bytes);
  if (!charge) return RefuseBusy();
  body_charge_ = std::move(*charge);
  if (common::AsciiLower(request_.Header("expect")) == "100-continue") {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    SetDeadline(kWriteTimeout);
    return net::async_write(socket_, net::buffer(kContinue),
                            [self = shared_from_this()](error_code write_error, std::size_t) {
                              if (write_error) return self->Close();
                              self->ReadBody();
                            });
  }
  ReadBody();
}

void HttpConnection::ReadBody() {
  const auto length = parser_->content_length();
  const std::size_t expected =
      length ? static_cast<std::size_t>(*length) : core_.options().max_body_bytes;
  SetDeadline(milliseconds(core_.options().header_timeout_ms) +
              milliseconds(1000 * (expected / kMinBodyBytesPerSecond)));
  http::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](error_code error, std::size_t) { self->OnBody(error); });
}

void HttpConnection::OnBody(error_code error) {
  if (error) {
    if (error == http::error::body_limit) {
      return Refuse(413, "the request body is too large", "body_too_large");
    }
    if (IsConnectionError(error)) return Close();
    return Refuse(400, "the request's body is not valid HTTP/1.1 framing", "bad_request");
  }
  Dispatch();
}

void HttpConnection::Dispatch() {
  request_.body = std::move(parser_->get().body());
  parser_.reset();
  if (gzip_body_) {
    InflatedBody inflated = InflateGzip(request_.body, core_.options().max_body_bytes);
    if (inflated.outcome == InflatedBody::Outcome::kTooLarge) {
      return Refuse(413, "the request body is too large once inflated", "body_too_large");
    }
    if (inflated.outcome == InflatedBody::Outcome::kCorrupt) {
      return Refuse(400, "the gzip body is corrupt or incomplete", "bad_request");
    }
    request_.body = std::move(inflated.body);
  }
  if (!IsValidUtf8(request_.body)) {
    return Refuse(400, "the request body is not valid UTF-8", "bad_request");
  }
  ClearDeadline();
  core_.workers().Submit([self = shared_from_this(), request = std::move(request_)] {
    // The worker writes the answer itself: while a handler runs, nothing else uses the socket
    // (no read is pending and the deadline is cleared), and the first write usually completes
    // at once, in this thread, without a hand-off back to an I/O thread. What follows the
    // write runs on the connection's strand again.
    HttpResponse response = self->core_.Handle(request);
    self->body_charge_.Return();
    self->Write(std::move(response));
  });
}

void HttpConnection::RefuseBusy() {
  HttpResponse response =
      ErrorResponse(503, "the server is busy with other requests; retry in a second");
  response.headers.emplace_back("Retry-After", "1");
  Refuse(std::move(response), "server_busy");
}

void HttpConnection::Refuse(int status, const std::string& message, const std::string& refusal) {
  Refuse(ErrorResponse(status, message), refusal);
}

void HttpConnection::Refuse(HttpResponse response, const std::string& refusal) {
  // Nothing more of the request is read: its memory goes back to the budget.
  parser_.reset();
  body_charge_.Return();
  buffer_.clear();
  buffer_.shrink_to_fit();
  buffer_charge_.Return();
  response.refusal = refusal;
  if (request_.method.empty()) request_.method = "?";
  core_.workers().Submit([self = shared_from_this(), request = request_, response] {
    self->core_.ObserveRefusal(request, response);
  });
  keep_alive_ = false;
  Write(std::move(response));
}

void HttpConnection::Write(HttpResponse response) {
  if (!socket_.is_open()) return;
  // While stopping, a connection stays open only to answer what it already received.
  const bool keep_alive = keep_alive_ && (!core_.stopping() || HasPendingBytes());
  const auto fill = [&](auto& message) {
    message.result(static_cast<http::status>(response.status));
    message.version(version_);
    message.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message.set(name, value);
    message.keep_alive(keep_alive);
    message.content_length(response.body.size());
  };
  SetDeadline(kWriteTimeout);
  auto written = [self = shared_from_this(), keep_alive](error_code error, std::size_t) {
    self->OnWritten(error, keep_alive);
  };
  if (head_) {  // the GET's header, without its body
    auto message = std::make_shared<http::response<http::empty_body>>();
    fill(*message);
    writing_ = message;
    return http::async_write(socket_, *message, std::move(written));
  }
  auto message = std::make_shared<http::response<http::string_body>>();
  fill(*message);
  message->body() = std::move(response.body);
  writing_ = message;
  http::async_write(socket_, *message, std::move(written));
}

void HttpConnection::OnWritten(error_code error, bool keep_alive) {
  writing_.reset();
  head_ = false;
  if (error) return Close();
  if (!keep_alive) return LingerAndClose();
  WaitForRequest();
}

void HttpConnection::LingerAndClose() {
  error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  SetDeadline(kLingerTimeout);
  linger_buffer_ = std::make_unique<std::array<char, kLingerChunk>>();
  LingerRead();
}

void HttpConnection::LingerRead() {
  socket_.async_read_some(net::buffer(*linger_buffer_),
                          [self = shared_from_this()](error_code error, std::size_t read) {
                            self->lingered_ += read;
                            if (error || self->lingered_ > kLingerBytes) return self->Close();
                            self->LingerRead();
                          });
}

void HttpConnection::Close() {
  if (!socket_.is_open()) return;
  ClearDeadline();
  body_charge_.Return();
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace leadline::api
