#include "api/graphql/error.h"

namespace leadline::graphql {

std::vector<Error> Locate(std::string_view source, std::vector<PendingError> pending) {
  std::vector<uint32_t> offsets;
  for (const auto& item : pending)
    offsets.insert(offsets.end(), item.offsets.begin(), item.offsets.end());
  const std::vector<SourcePosition> positions = SourceLocations(source, offsets);
  std::vector<Error> errors;
  errors.reserve(pending.size());
  size_t next = 0;
  for (auto& item : pending) {
    for (size_t i = 0; i < item.offsets.size(); ++i)
      item.error.locations.push_back(positions[next++]);
    errors.push_back(std::move(item.error));
  }
  return errors;
}

}  // namespace leadline::graphql
