// Status and Result<T>: how expected failures (bad input, I/O, not found, database errors)
// travel up the call stack without exceptions. A Status is either ok or carries a code and a
// message written for the user (what went wrong and what to do next). Values, no shared state:
// safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace leadline::common {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the user's input is wrong (flag, file, pattern)
  kNotFound,
  kFailedPrecondition,  // the input is well-formed but cannot be used (empty or shallow repository)
  kIoError,
  kUnavailable,       // a network peer could not be reached or did not answer in time; may pass
  kUnauthenticated,   // the peer refused the credentials (HTTP 401)
  kPermissionDenied,  // the credentials lack a permission or scope (HTTP 403)
  kDatabaseError,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status FailedPrecondition(std::string message) {
    return Status(StatusCode::kFailedPrecondition, std::move(message));
  }
  static Status IoError(std::string message) {
    return Status(StatusCode::kIoError, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status DatabaseError(std::string message) {
    return Status(StatusCode::kDatabaseError, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const {
    return ok() ? *this : Status(code_, context + ": " + message_);
  }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace leadline::common

// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define LEADLINE_RETURN_IF_ERROR(expr)                    \
  do {                                                    \
    ::leadline::common::Status leadline_status_ = (expr); \
    if (!leadline_status_.ok()) return leadline_status_;  \
  } while (false)

#define LEADLINE_CONCAT_INNER(a, b) a##b
#define LEADLINE_CONCAT(a, b) LEADLINE_CONCAT_INNER(a, b)

// Declares `lhs` from a Result, or returns its Status from the enclosing function.
#define LEADLINE_ASSIGN_OR_RETURN(lhs, expr) \
  LEADLINE_ASSIGN_OR_RETURN_IMPL(LEADLINE_CONCAT(leadline_result_, __LINE__), lhs, expr)
#define LEADLINE_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                                   \
  if (!result.ok()) return result.status();               \
  lhs = std::move(result).value()
