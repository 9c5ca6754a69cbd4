#include "git/libgit2_support.h"

#include <git2.h>

namespace leadline::git {
namespace {

struct Libgit2 {
  Libgit2() {
    git_libgit2_init();
    // Local objects were verified by git when they arrived (fetched packs are verified by
    // libgit2's indexer); re-hashing every commit costs more than reading it.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // Each commit is read once: an object cache would only cost memory and a slow teardown.
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
  }
  ~Libgit2() { git_libgit2_shutdown(); }
};

}  // namespace

void EnsureLibgit2() { static Libgit2 instance; }

std::string LastLibgit2Error() {
  const git_error* error = git_error_last();
  return error && error->message ? error->message : "unknown libgit2 error";
}

}  // namespace leadline::git
