#include "query/teams.h"

#include <algorithm>

namespace leadline::query {

std::vector<const std::string*> VisibleTeams(const MetricsView& view,
                                             const auth::Principal& principal) {
  std::vector<std::uint32_t> authors;
  for (const RepositoryView& repo : view.repositories) {
    if (!principal.MaySee(repo.repository.id)) continue;
    for (const engine::PullRequestFact& pr : repo.facts.pull_requests) authors.push_back(pr.author);
  }
  std::sort(authors.begin(), authors.end());
  std::vector<const std::string*> names;
  for (const auto& [name, members] : view.teams) {
    const std::vector<std::uint32_t> people = view.people.Find(members);
    const bool seen = std::any_of(people.begin(), people.end(), [&](std::uint32_t person) {
      return std::binary_search(authors.begin(), authors.end(), person);
    });
    if (seen) names.push_back(&name);
  }
  return names;
}

}  // namespace leadline::query
