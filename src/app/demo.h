// The composition behind `leadline demo`: a generated Bitbucket Cloud organisation served by the
// local Bitbucket double (a year of pull requests with reviews, pipelines, staging and production
// deployments, some failed), connected through the real connector, backfilled with the progress
// bar, grouped into two projects, with incidents pushed for some failed deployments and a
// read-only token to sign in with. The double runs as long as the Demo object lives.
// Single-threaded.
#pragma once

#include <string>
#include <vector>

#include "app/child_process.h"
#include "common/status.h"
#include "config/paths.h"

namespace leadline::app {

struct DemoRequest {
  std::string dir = ".demo";   // its store (replaced on each run) and mirrors
  std::string double_program;  // the leadline-bitbucket-double executable
  int repositories = 20;
  int days = 365;
  int pull_requests = 300;  // per repository, over `days`
};

class Demo {
 public:
  static common::Result<Demo> Prepare(const DemoRequest& request);

  const config::Paths& paths() const { return paths_; }
  const std::string& reader_token() const { return reader_token_; }  // read, every project
  const std::vector<std::string>& projects() const { return projects_; }

 private:
  explicit Demo(ChildProcess bitbucket) : bitbucket_(std::move(bitbucket)) {}
  ChildProcess bitbucket_;
  config::Paths paths_;
  std::string reader_token_;
  std::vector<std::string> projects_;
};

}  // namespace leadline::app
