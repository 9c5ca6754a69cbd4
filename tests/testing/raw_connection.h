// Test support: a raw loopback TCP connection to a server under test, from any loopback source
// address, for the bytes a well-behaved HTTP client would not send (pipelined requests, a header
// a byte at a time, bodies past a limit) and for reading answers off the wire. Not thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace leadline::testing {

// How soon a server under load must answer an ordinary request: 100 ms in an optimised build;
// sanitizers make every instruction several times slower, and that build checks correctness.
#if defined(LEADLINE_SANITIZED)
inline constexpr std::chrono::milliseconds kPromptAnswer{500};
#else
inline constexpr std::chrono::milliseconds kPromptAnswer{100};
#endif

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port` from `source`; connected() says whether it did.
  explicit RawConnection(int port, const char* source = "127.0.0.1");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False once the server closed the connection.
  bool Send(const std::string& bytes);
  // What arrives first within `wait` (empty if nothing); sets closed() when the server closed.
  std::string Read(std::chrono::milliseconds wait);
  // Reads until `count` status lines arrived, the server closed, or `wait` passed.
  std::string ReadAnswers(std::size_t count, std::chrono::milliseconds wait);
  bool closed() const { return closed_; }

  // The status codes of the HTTP answers in `wire`, in order.
  static std::vector<int> Statuses(const std::string& wire);

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

// `text` compressed as one gzip stream, for bodies sent with `Content-Encoding: gzip`.
std::string Gzip(const std::string& text);

}  // namespace leadline::testing
