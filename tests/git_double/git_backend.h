// git's smart HTTP served by `git http-backend` (CGI), for the doubles' repositories: one request
// in, the backend's answer copied out. Stateless; thread-safe (each request runs its own backend).
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace leadline::testing {

// Runs `git http-backend` over the repositories under `project_root` for `path_info`
// ("/history.git/info/refs") and copies its answer into `res` (500 when it cannot run).
// `extra_env` ("NAME=value" entries) is added to the backend's environment, e.g. git config
// through GIT_CONFIG_COUNT.
void ServeGitBackend(const std::string& project_root, const httplib::Request& req,
                     httplib::Response& res, const std::string& path_info,
                     const std::vector<std::string>& extra_env = {});

}  // namespace leadline::testing
