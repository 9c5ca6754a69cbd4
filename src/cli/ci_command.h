// `leadline ci report-deployment`: what a CI job's deployment step runs to tell a Leadline server
// that it deployed, authenticated by the job's own OIDC token (a GitLab `id_tokens` entry or a
// Bitbucket Pipelines step with `oidc: true`; docs/ci.md), so that no static secret lives in CI.
// The deployment is read from the CI's variables (repository, commit, environment, pipeline,
// job, start time), each overridable by a flag, and POSTed to /v1/deployments, retried with backoff
// on 5xx, 429 and lost connections. `leadline ci bi-refresh` asks the server the same way to
// refresh the analytics tables and trigger its Looker datagroup (POST /v1/bi/refresh), so that the
// pipeline holds no Looker credentials. The token is never printed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace leadline::cli {

std::function<int()> AddCiCommands(CLI::App& app);

}  // namespace leadline::cli
