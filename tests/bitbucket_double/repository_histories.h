// The git histories of a double's repositories, each made by `git fast-import` (about a tenth of
// a second for a year of pull requests). The first is made at once; the others (an
// organisation's, one per repository) on background threads, one per core, in index order, so
// that the double answers sooner and a request waits only for the history it names. Thread-safe;
// the destructor waits for the threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "git_double/git_history.h"

namespace leadline::testing {

class RepositoryHistories {
 public:
  // `count` (at least one) histories beginning at `start`, history i grown by
  // `grow(history, i)` (i from 0). The first is made before the constructor returns, its errors
  // thrown from it.
  RepositoryHistories(int count, std::int64_t start,
                      std::function<void(GitHistory&, int index)> grow);
  ~RepositoryHistories();
  RepositoryHistories(const RepositoryHistories&) = delete;
  RepositoryHistories& operator=(const RepositoryHistories&) = delete;

  int size() const { return static_cast<int>(histories_.size()); }
  // History `index`, once made; throws what making it threw.
  GitHistory& at(int index) const;

 private:
  void Make(std::size_t index);

  const std::int64_t start_;
  const std::function<void(GitHistory&, int)> grow_;
  mutable std::mutex mutex_;
  mutable std::condition_variable made_;
  std::vector<std::unique_ptr<GitHistory>> histories_;  // each set once, under mutex_
  std::vector<std::exception_ptr> errors_;
  std::size_t next_;  // the next history a thread makes
  std::vector<std::thread> threads_;
};

}  // namespace leadline::testing
