// The identity tables of leadline.toml: `[[ci_trust]]` (CI jobs that push with OIDC tokens,
// auth/ci_trust.h), `[oidc]` (people's sign-in, auth/oidc_sign_in.h) and `[[roles]]` (what
// signed-in people may see, auth/roles.h). Pure functions; thread-safe. Included by
// config/*.cpp only (it brings toml++).
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "auth/ci_trust.h"
#include "auth/oidc_sign_in.h"
#include "common/status.h"

namespace leadline::config {

common::Status ReadCiTrust(const std::string& path, const toml::node& node,
                           std::vector<auth::CiTrustRule>& rules);
// [oidc]; checked as a whole by the caller once [[roles]] are read too.
common::Status ReadOidc(const std::string& path, const toml::table& table,
                        auth::OidcSettings& settings);
common::Status ReadRoles(const std::string& path, const toml::node& node,
                         std::vector<auth::RoleRule>& roles);

}  // namespace leadline::config
