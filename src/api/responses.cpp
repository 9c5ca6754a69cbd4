#include "api/responses.h"

#include <nlohmann/json.hpp>

namespace leadline::api {

HttpResponse ErrorResponse(int status, const std::string& message) {
  HttpResponse response;
  response.status = status;
  response.body = nlohmann::json{{"error", message}}.dump() + "\n";
  return response;
}

HttpResponse FieldErrorsResponse(const std::vector<sources::FieldError>& errors) {
  const bool not_json =
      errors.size() == 1 && errors[0].field.empty() && errors[0].message == "is not valid JSON";
  nlohmann::json list = nlohmann::json::array();
  for (const sources::FieldError& error : errors) {
    list.push_back({{"field", error.field}, {"message", error.message}});
  }
  HttpResponse response;
  response.status = not_json ? 400 : 422;
  response.body =
      nlohmann::json{{"error", not_json ? "the body is not valid JSON"
                                        : std::to_string(errors.size()) +
                                              " field(s) are wrong; nothing was stored"},
                     {"errors", list}}
          .dump() +
      "\n";
  return response;
}

int HttpStatusOf(const common::Status& status) {
  switch (status.code()) {
    case common::StatusCode::kOk:
      return 200;
    case common::StatusCode::kInvalidArgument:
      return 400;
    case common::StatusCode::kUnauthenticated:
      return 401;
    case common::StatusCode::kPermissionDenied:
      return 403;
    case common::StatusCode::kNotFound:
      return 404;
    case common::StatusCode::kFailedPrecondition:
      return 409;
    case common::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

HttpResponse StatusResponse(const common::Status& status) {
  return ErrorResponse(HttpStatusOf(status), status.message());
}

}  // namespace leadline::api
