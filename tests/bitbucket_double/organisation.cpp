#include "organisation.h"

#include <algorithm>

namespace leadline::testing {
namespace {

// Paces in percent of the configured one, spread evenly on a log scale from 0.5x to 3x; repo-i
// takes entry i * 7 % 12, so neighbours (and the demo's two projects) differ.
constexpr int kPacePercent[] = {50, 59, 69, 82, 96, 113, 133, 156, 184, 216, 254, 300};
int PaceIndex(int repo) { return repo * 7 % 12; }

// Checkout's repositories are the faster half (the first four people); core's the slower.
bool Checkout(int repo) { return PaceIndex(repo) < 6; }

// How many of something spaced `spacing` apart fit where `count` fit `base_spacing` apart, so that
// the last one comes no later than the configured last one.
int Fit(int count, std::int64_t base_spacing, std::int64_t spacing) {
  if (count <= 0) return count;
  return static_cast<int>(std::max<std::int64_t>(1, count * base_spacing / spacing));
}

}  // namespace

CloudWorkspaceShape OrganisationRepositoryShape(const CloudWorkspaceShape& base, int repo) {
  CloudWorkspaceShape shape = base;
  shape.repository = repo;
  shape.pace = std::max<std::int64_t>(1, base.pace * kPacePercent[PaceIndex(repo)] / 100);
  const bool checkout = Checkout(repo);
  // Checkout reviews promptly, core takes its time; either way each repository has its own delays.
  shape.pickup_permille = (checkout ? 50 : 150) + repo * 37 % (checkout ? 100 : 150);
  shape.approval_permille = shape.pickup_permille + 100 + repo * 53 % 200;
  shape.close_permille = shape.approval_permille + 50 + repo * 29 % 150;  // below 800
  // The last pull request closes no later than the configured last one did (half a pace after it
  // opened).
  const std::int64_t last_closed = base.pull_requests * base.pace + base.pace / 2;
  const std::int64_t close = shape.pace * shape.close_permille / 1000;
  shape.pull_requests =
      base.pull_requests <= 0
          ? base.pull_requests
          : static_cast<int>(std::max<std::int64_t>(1, (last_closed - close) / shape.pace));
  shape.pipelines = Fit(base.pipelines, base.pace, shape.pace);
  shape.deployments = Fit(base.deployments, base.pace, shape.pace);
  return shape;
}

Person OrganisationAuthor(int repo, int number) {
  static constexpr const char* kPeople[][2] = {
      {"Ana Ortiz", "ana"},     {"Ben Okafor", "ben"}, {"Chen Wei", "chen"},
      {"Dana Kim", "dana"},     {"Eli Novak", "eli"},  {"Farah Haddad", "farah"},
      {"Gus Lindqvist", "gus"}, {"Hana Sato", "hana"}};  // checkout: the first four; core: the rest
  const int home = Checkout(repo) ? 0 : 4;
  const int i = number % 6 == 5 ? (4 - home) + (number / 6 + repo) % 4 : home + (number + repo) % 4;
  return {10 + i, kPeople[i][0], kPeople[i][1], std::string(kPeople[i][1]) + "@example.com"};
}

}  // namespace leadline::testing
