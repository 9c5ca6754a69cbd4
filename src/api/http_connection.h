// One client connection of the HttpServer: reads requests one at a time under the server's
// deadlines and limits, hands each to the worker pool, and writes the answers in order. Internal
// to the server; includes Boost.Asio, so only http_server.cpp and http_connection.cpp include it.
//
// Ownership: shared; every pending operation holds the connection, which ends (and is released
// from the server's counts) when the last one completes after the socket closes.
// Thread-safety: everything runs on the connection's strand (the socket's executor), except the
// writing of a handler's answer, which starts on the worker that ran the handler while nothing
// else uses the connection (the deadline's generation is atomic for a timer that fired just
// before it was cleared); Start(), Refuse() and Stop() may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/http_server_core.h"
#include "api/read_buffer_allocator.h"

namespace leadline::api {

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // `admitted`: counted by ServerCore::Admit, so released when the connection ends.
  HttpConnection(boost::asio::ip::tcp::socket socket, ServerCore& core, std::string address,
                 bool admitted);
  ~HttpConnection();

  void Start();
  // Answers 503 with Retry-After (over a connection cap) and closes.
  void RefuseOverload();
  // The server is stopping: close now if idle, else after answering what was received.
  void Stop();

 private:
  void WaitForRequest();
  void ReadHeader();
  void OnHeader(boost::system::error_code error);
  void ReadBody();
  void OnBody(boost::system::error_code error);
  void Dispatch();
  // Answers before any route ran, then closes: the rest of the request is not read.
  void Refuse(int status, const std::string& message, const std::string& refusal);
  void Refuse(HttpResponse response, const std::string& refusal);
  // The memory budget cannot take this request now: 503 with Retry-After, then closes.
  void RefuseBusy();
  void Write(HttpResponse response);
  void OnWritten(boost::system::error_code error, bool keep_alive);
  // Sends FIN, then reads and drops what the client still sends for a moment, so that it reads
  // the answer before the connection resets.
  void LingerAndClose();
  void LingerRead();
  void Close();
  void SetDeadline(std::chrono::milliseconds after);
  void ClearDeadline();
  // More of a request already received: in the buffer or in the socket.
  bool HasPendingBytes();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::atomic<std::uint64_t> deadline_generation_ = 0;
  boost::beast::basic_flat_buffer<ReadBufferAllocator<char>> buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> writing_;       // the response being written
  MemoryBudget::Charge buffer_charge_;  // for buffer_'s reserved room, while a request is read
  MemoryBudget::Charge body_charge_;    // for the request's body, until its handler returns
  ServerCore& core_;
  const std::string address_;
  const bool admitted_;
  bool waiting_ = false;  // for the first byte of a request, with nothing received
  bool first_request_ = true;
  bool gzip_body_ = false;
  bool head_ = false;
  bool keep_alive_ = false;
  unsigned version_ = 11;  // the request's HTTP version: 10 or 11
  HttpRequest request_;    // the request being read
  std::unique_ptr<std::array<char, 16 * 1024>> linger_buffer_;
  std::size_t lingered_ = 0;
};

}  // namespace leadline::api
