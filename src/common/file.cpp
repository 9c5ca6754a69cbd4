#include "common/file.h"

#include <fstream>
#include <sstream>

namespace leadline::common {

Result<std::string> ReadTextFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read the " + what + " '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace leadline::common
