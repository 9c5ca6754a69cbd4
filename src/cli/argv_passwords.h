// Keeps passwords given on the command line (a PostgreSQL URL's, as in `--store
// postgres://user:secret@host/db`) out of `ps` and /proc/PID/cmdline, which show a process's
// arguments as they are in its memory: once the arguments are parsed, each password in them is
// overwritten there with '*'. Call from main() before any other thread starts; not thread-safe.
#pragma once

namespace leadline::cli {

void HidePasswordsInArguments(int argc, char** argv);

}  // namespace leadline::cli
