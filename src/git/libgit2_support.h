// What the git folder's libgit2 users share: the process-wide initialisation and the last error.
// Internal to src/git.
#pragma once

#include <string>

namespace leadline::git {

// Initialises libgit2 once per process (it stays initialised until exit).
void EnsureLibgit2();
// libgit2's message for the last failed call on this thread.
std::string LastLibgit2Error();

}  // namespace leadline::git
