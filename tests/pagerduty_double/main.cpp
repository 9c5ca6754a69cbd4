// leadline-pagerduty-double: the local PagerDuty double as a program, for the dashboard's browser
// tests (which run their stack as processes) and for trying `leadline connect pagerduty` without
// an account. It serves generated incidents until it is stopped (Ctrl-C or SIGTERM) and prints
// how to connect to it.
//
//   leadline-pagerduty-double [--port 0] [--incidents 40] [--first-days-ago 400]
//                             [--pace-hours 12]
//
// Incidents begin `--first-days-ago` days ago, one every `--pace-hours`, over the services
// Checkout API (PSVCAPI), Storefront (PSVCWEB) and Internal tools (PSVCOPS).
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "common/time.h"
#include "pagerduty_double.h"

namespace {

bool ParseFlags(int argc, char** argv, leadline::testing::PagerDutyDoubleConfig& config) {
  long first_days_ago = 400;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) return false;
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    char* end = nullptr;
    const long number = std::strtol(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || number < 0) return false;
    if (flag == "--port") {
      config.port = static_cast<int>(number);
    } else if (flag == "--incidents") {
      config.incidents = static_cast<int>(number);
    } else if (flag == "--first-days-ago") {
      first_days_ago = number;
    } else if (flag == "--pace-hours" && number > 0) {
      config.pace_seconds = number * 3600;
    } else {
      return false;
    }
  }
  config.first_incident_at =
      leadline::common::NowUnixSeconds() - first_days_ago * leadline::common::kDay;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  leadline::testing::PagerDutyDoubleConfig config;
  config.incidents = 40;
  config.pace_seconds = 12 * 3600;
  if (!ParseFlags(argc, argv, config)) {
    std::fprintf(stderr,
                 "usage: leadline-pagerduty-double [--port N] [--incidents N] "
                 "[--first-days-ago N] [--pace-hours N]\n");
    return 2;
  }
  // Stopped by a signal, waited for here; the double serves on its own thread.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  try {
    leadline::testing::PagerDutyDouble pagerduty(config);
    std::printf(
        "PagerDuty double: %d incidents on %zu services\n  --url %s\n  user key: %s\n"
        "  account key: %s\nStop with Ctrl-C.\n",
        config.incidents, config.services.size(), pagerduty.url().c_str(), config.user_key.c_str(),
        config.account_key.c_str());
    std::fflush(stdout);
    int signal_number = 0;
    sigwait(&stop, &signal_number);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadline-pagerduty-double: %s\n", e.what());
    return 1;
  }
  return 0;
}
