// The git-over-HTTPS clone URL of a Bitbucket repository object, as both editions list it under
// `links.clone`. A pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/json/json_object.h"
#include "common/status.h"

namespace leadline::sources::bitbucket {

// A repository's git-over-HTTPS clone URL: the `links.clone` entry named `protocol` ("https" on
// Cloud, "http" on Data Center), without the user name Bitbucket puts in it; empty when absent.
common::Result<std::string> CloneUrl(const common::json::JsonObject& repository,
                                     std::string_view protocol);

}  // namespace leadline::sources::bitbucket
