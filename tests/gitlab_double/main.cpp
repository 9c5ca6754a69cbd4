// leadline-gitlab-double: the local GitLab double as a program, for trying Leadline without a
// GitLab instance and for end-to-end tests that run it as a process (to kill it, or Leadline,
// mid-sync). It serves a generated instance until it is stopped (Ctrl-C or SIGTERM) and prints
// how to connect to it.
//
//   leadline-gitlab-double [--port 8929] [--merge-requests 200] [--pipelines 100]
//                          [--deployments 50] [--history-days 90] [--pace-minutes 60]
//                          [--relative-url-root /gitlab] [--project group/sub/name]...
//
// Each --project replaces the default projects (acme/web, acme/platform/api,
// acme/platform/worker) with the ones named.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/time.h"
#include "gitlab_double.h"

namespace {

bool ParseFlags(int argc, char** argv, leadline::testing::GitLabDoubleConfig& config) {
  int history_days = 90;
  bool projects_named = false;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    const std::string value = argv[i + 1];
    if (flag == "--relative-url-root") {
      if (!value.starts_with("/") || value.ends_with("/")) return false;
      config.relative_url_root = value;
      continue;
    }
    if (flag == "--project") {
      if (!projects_named) config.projects.clear();
      projects_named = true;
      config.projects.push_back(value);
      continue;
    }
    char* end = nullptr;
    const long number = std::strtol(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || number < 0) return false;
    if (flag == "--port") {
      config.port = static_cast<int>(number);
    } else if (flag == "--merge-requests") {
      config.merge_requests_per_project = static_cast<int>(number);
    } else if (flag == "--pipelines") {
      config.pipelines_per_project = static_cast<int>(number);
    } else if (flag == "--deployments") {
      config.deployments_per_project = static_cast<int>(number);
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
  leadline::testing::GitLabDoubleConfig config;
  config.merge_requests_per_project = 200;
  config.pipelines_per_project = 100;
  config.deployments_per_project = 50;
  if (!ParseFlags(argc, argv, config)) {
    std::fprintf(stderr,
                 "usage: leadline-gitlab-double [--port N] [--merge-requests N] [--pipelines N] "
                 "[--deployments N] [--history-days N] [--pace-minutes N] "
                 "[--relative-url-root /path] [--project group/name]...\n");
    return 2;
  }
  // Stopped by a signal, waited for here; the double serves on its own thread.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  try {
    leadline::testing::GitLabDouble gitlab(config);
    std::printf(
        "GitLab double: %zu projects of %d merge requests, %d pipelines and %d deployments\n"
        "  --url %s\n",
        config.projects.size(), config.merge_requests_per_project, config.pipelines_per_project,
        config.deployments_per_project, gitlab.url().c_str());
    for (const leadline::testing::GitLabToken& token : config.tokens) {
      std::printf("  %s token: %s%s%s\n", token.bot ? "project" : "personal", token.value.c_str(),
                  token.reach.empty() ? "" : " for ", token.reach.c_str());
    }
    std::printf("Stop with Ctrl-C.\n");
    std::fflush(stdout);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadline-gitlab-double: %s\n", e.what());
    return 1;
  }
  return 0;
}
