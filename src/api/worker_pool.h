// A fixed set of threads that run submitted tasks in order of submission: the HTTP server's
// request handlers run here, apart from its I/O threads, because handlers block (store commits).
// Thread-safe. Stop() runs what was submitted before it, then joins; tasks submitted after it are
// dropped (destroyed unrun).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace leadline::api {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);
  void Stop();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace leadline::api
