#include "api/graphql/validation.h"

namespace leadline::graphql {

std::vector<Error> Validate(const Schema&, const Document&) { return {}; }

}  // namespace leadline::graphql
