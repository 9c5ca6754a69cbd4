// Standard base64 (RFC 4648, with padding), for HTTP Basic credentials.
#pragma once

#include <string>
#include <string_view>

namespace leadline::common {

std::string Base64(std::string_view bytes);

}  // namespace leadline::common
