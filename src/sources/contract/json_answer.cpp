#include "sources/contract/json_answer.h"

namespace leadline::sources {

common::Result<nlohmann::json> JsonAnswer(const http::HttpResponse& response,
                                          const std::string& url, const char* who,
                                          std::size_t max_bytes) {
  if (response.body.size() > max_bytes) {
    return common::Status::InvalidArgument(
        std::string(who) + "'s answer at " + http::RedactUrl(url) + " is " +
        std::to_string(response.body.size()) + " bytes, more than the " +
        std::to_string(max_bytes) + " read");
  }
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return common::Status::InvalidArgument(std::string(who) + "'s answer at " +
                                           http::RedactUrl(url) + " is not JSON");
  }
  return body;
}

}  // namespace leadline::sources
