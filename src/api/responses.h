// JSON answers every endpoint shares: errors (one message, or every bad field), and small
// objects. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "api/http_types.h"
#include "common/status.h"
#include "sources/push/field_error.h"

namespace leadline::api {

// {"error": message}
HttpResponse ErrorResponse(int status, const std::string& message);
// 422 {"error": "...", "errors": [{"field": ..., "message": ...}, ...]}; 400 when the body is not
// JSON at all.
HttpResponse FieldErrorsResponse(const std::vector<sources::FieldError>& errors);
// The HTTP status of a Status: 400, 401, 403, 404, 409, 500, 503.
int HttpStatusOf(const common::Status& status);
HttpResponse StatusResponse(const common::Status& status);

}  // namespace leadline::api
