// leadline-gen-project: writes the synthetic project of bench/project_generator.h into a new
// store file, for benchmarks that run the real server on it (bench/server_bench.sh). Its history
// ends now, so that the API's default windows (the last N days) fall on it.
//
//   leadline-gen-project --db FILE [--repositories 50] [--pull-requests 2000]
//                        [--deployments 400] [--incidents 40] [--days 365]
//
// Counts are per repository; the defaults make 100,000 pull requests (1,000,000 commits) and
// 20,000 deployments over a year in 50 repositories "bench/repo-N".
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/time.h"
#include "project_generator.h"

namespace {

using namespace leadline;

struct Options {
  std::string db;
  bench::ProjectShape shape;
};

bool ParseFlags(int argc, char** argv, Options& options) {
  options.shape.repositories = 50;
  options.shape.pull_requests_per_repository = 2000;
  options.shape.deployments_per_repository = 400;
  options.shape.incidents_per_repository = 40;
  options.shape.days = 365;
  options.shape.end = common::NowUnixSeconds();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--db") {
      options.db = value;
    } else if (!bench::ApplyShapeFlag(flag, value, options.shape)) {
      return false;
    }
  }
  return argc % 2 == 1 && !options.db.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseFlags(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline-gen-project --db FILE [--repositories N] [--pull-requests N] "
                 "[--deployments N] [--incidents N] [--days N]\n");
    return 2;
  }
  if (std::filesystem::exists(options.db)) {
    std::fprintf(stderr, "%s exists; the project is written into a new store\n",
                 options.db.c_str());
    return 1;
  }
  const common::Status generated = bench::GenerateProject(options.db, options.shape);
  if (!generated.ok()) return std::fprintf(stderr, "%s\n", generated.message().c_str()), 1;
  return 0;
}
