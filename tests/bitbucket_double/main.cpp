// leadline-bitbucket-double: the local Bitbucket Cloud and Data Center double as a program, for
// trying Leadline without a Bitbucket account and for the demo. It serves a generated workspace
// until it is stopped (Ctrl-C or SIGTERM) and prints how to connect to it.
//
//   leadline-bitbucket-double [--port 7990] [--repositories 3] [--pull-requests 200]
//                             [--pipelines 100] [--deployments 50] [--history-days 90]
//                             [--pace-minutes 60] [--context-path /bitbucket] [--organisation]
//
// --organisation serves a varied organisation (eight people in two teams, hotfixes, reverts; each
// repository with its own history, pace, review delays, home team and failure rate) rather than
// the tests' uniform one, where every repository holds the same history.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bitbucket_double.h"
#include "common/time.h"

namespace {

bool ParseFlags(int argc, char** argv, leadline::testing::BitbucketDoubleConfig& config) {
  int history_days = 90;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--organisation") {
      config.organisation = true;
      --i;  // a flag without a value
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string value = argv[i + 1];
    char* end = nullptr;
    const long number = std::strtol(value.c_str(), &end, 10);
    const bool numeric = end != value.c_str() && *end == '\0' && number >= 0;
    if (flag == "--context-path") {
      config.dc_context_path = value;
      continue;
    }
    if (!numeric) return false;
    if (flag == "--port") {
      config.port = static_cast<int>(number);
    } else if (flag == "--repositories") {
      config.repositories = static_cast<int>(number);
    } else if (flag == "--pull-requests") {
      config.pull_requests_per_repo = static_cast<int>(number);
    } else if (flag == "--pipelines") {
      config.pipelines_per_repo = static_cast<int>(number);
    } else if (flag == "--deployments") {
      config.deployments_per_repo = static_cast<int>(number);
    } else if (flag == "--history-days") {
      history_days = static_cast<int>(number);
    } else if (flag == "--pace-minutes" && number > 0) {
      config.pace_seconds = number * 60;
    } else {
      return false;
    }
  }
  config.history_start = leadline::common::NowUnixSeconds() - history_days * leadline::common::kDay;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  leadline::testing::BitbucketDoubleConfig config;
  config.pull_requests_per_repo = 200;
  config.pipelines_per_repo = 100;
  config.deployments_per_repo = 50;
  if (!ParseFlags(argc, argv, config)) {
    std::fprintf(stderr,
                 "usage: leadline-bitbucket-double [--port N] [--repositories N] "
                 "[--pull-requests N] [--pipelines N] [--deployments N] [--history-days N] "
                 "[--pace-minutes N] [--context-path /path] [--organisation]\n");
    return 2;
  }
  // git fast-import (which makes the histories) frees and takes back its tree buffers on every
  // commit; with glibc's default heap trimming each time costs page faults, most of an import's
  // time. A larger top pad keeps them: an organisation's histories are made in a third of the time.
  setenv("MALLOC_TOP_PAD_", "4194304", /*overwrite=*/0);
  // Stopped by a signal, waited for here; the double serves on its own thread.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  try {
    leadline::testing::BitbucketDouble bitbucket(config);
    std::printf(
        "Bitbucket double: %d repositories of %d pull requests, %d pipelines and %d deployments\n"
        "  Cloud:       --api-url %s --workspace %s --email %s, API token: %s\n"
        "  Data Center: --url %s, HTTP access token: %s\n"
        "Stop with Ctrl-C.\n",
        config.repositories, config.pull_requests_per_repo, config.pipelines_per_repo,
        config.deployments_per_repo, bitbucket.cloud_api_url().c_str(), config.workspace.c_str(),
        config.email.c_str(), config.api_token.c_str(), bitbucket.dc_url().c_str(),
        config.dc_token.c_str());
    std::fflush(stdout);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadline-bitbucket-double: %s\n", e.what());
    return 1;
  }
  return 0;
}
