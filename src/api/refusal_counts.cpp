#include "api/refusal_counts.h"

namespace leadline::api {
namespace {

const std::string kOverflowAddress = "*";

// The first `max_bytes` of `text`, not ending inside a UTF-8 sequence.
std::string Cut(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string RefusalOf(const HttpResponse& response, const std::string& route) {
  if (!response.refusal.empty()) return response.refusal;
  if (route == "unmatched") return response.status == 405 ? "method_not_allowed" : "unknown_path";
  if (route == "refused") return response.status == 413 ? "body_too_large" : "bad_request";
  return "";
}

void RefusalCounts::Add(common::UnixSeconds now, const HttpRequest& request, int status,
                        const std::string& reason) {
  const common::UnixSeconds minute = now - now % common::kMinute;
  std::string method = Cut(request.method, kMaxMethodBytes);
  std::string path = Cut(request.path, kMaxPathBytes);
  std::lock_guard lock(mutex_);
  if (minute > minute_) {
    minute_ = minute;
    seen_.clear();
  }
  bool told_apart = seen_.contains({request.remote_address, reason});
  if (!told_apart && seen_.size() < kMaxKeysPerMinute) {
    seen_.emplace(request.remote_address, reason);
    told_apart = true;
  }
  const std::string& address = told_apart ? request.remote_address : kOverflowAddress;
  model::AuditRefusal& count = pending_[{minute, address, reason}];
  if (count.count == 0) {
    count.minute = minute;
    count.client_address = address;
    count.reason = reason;
  }
  ++count.count;
  count.status = status;
  count.method = std::move(method);
  count.path = std::move(path);
}

std::vector<model::AuditRefusal> RefusalCounts::Take() {
  std::map<Key, model::AuditRefusal> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(pending_);
  }
  std::vector<model::AuditRefusal> out;
  out.reserve(taken.size());
  for (auto& [key, count] : taken) out.push_back(std::move(count));
  return out;
}

}  // namespace leadline::api
