#include "sources/bitbucket/clone_url.h"

#include <optional>
#include <vector>

namespace leadline::sources::bitbucket {

using common::Result;
using common::json::JsonObject;

Result<std::string> CloneUrl(const JsonObject& repository, std::string_view protocol) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> links,
                            repository.OptionalObject("links"));
  if (!links) return std::string();
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> clones, links->OptionalObjects("clone"));
  for (const JsonObject& clone : clones) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string name, clone.StringOrEmpty("name"));
    if (name != protocol) continue;
    LEADLINE_ASSIGN_OR_RETURN(std::string href, clone.String("href"));
    // "https://nick@bitbucket.org/acme/api.git": the user name is the viewer's, not the URL's.
    const std::size_t scheme_end = href.find("://");
    const std::size_t host_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const std::size_t at = href.find('@', host_start);
    if (at != std::string::npos && at < href.find('/', host_start)) {
      href.erase(host_start, at + 1 - host_start);
    }
    return href;
  }
  return std::string();
}

}  // namespace leadline::sources::bitbucket
