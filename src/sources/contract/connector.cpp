#include "sources/contract/connector.h"

#include <iterator>

namespace leadline::sources {
namespace {

template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

void FeedRows::Append(FeedRows&& other) {
  MoveAppend(pull_requests, std::move(other.pull_requests));
  MoveAppend(activity, std::move(other.activity));
  MoveAppend(pipelines, std::move(other.pipelines));
  MoveAppend(environments, std::move(other.environments));
  MoveAppend(deployments, std::move(other.deployments));
}

}  // namespace leadline::sources
