#include "cli/argv_passwords.h"

#include <cstring>

#include "store/store_url.h"

namespace leadline::cli {

void HidePasswordsInArguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* argument = argv[i];
    for (const auto& [offset, length] : store::PasswordSpans(argument)) {
      std::memset(argument + offset, '*', length);
    }
  }
}

}  // namespace leadline::cli
