#include "app/repository_report.h"

namespace leadline::app {

engine::ReportWindow ResolveWindow(const ReportOptions& options,
                                   const std::vector<model::Deployment>& deployments) {
  engine::ReportWindow window;
  window.until = options.until.value_or(common::NowUnixSeconds());
  if (options.since) {
    window.since = *options.since;
  } else if (options.window) {
    window.since = window.until - *options.window;
  } else {
    window.since = deployments.empty() ? window.until : deployments.front().finished_at;
  }
  return window;
}

}  // namespace leadline::app
