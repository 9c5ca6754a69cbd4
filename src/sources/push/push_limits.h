// The bounds of pushed JSON (deployments, incidents), checked by the readers in this folder
// before anything is stored. Constants only; thread-safe.
#pragma once

#include <cstddef>
#include <limits>

namespace leadline::sources {

// Identifier fields (ids, repository, environment, service, severity, ...) and times.
inline constexpr std::size_t kMaxIdentifierBytes = 200;
// How far past the clock a pushed or imported time may be (clocks differ a little).
inline constexpr long long kMaxFutureSeconds = 24 * 3600;
// An incident's title.
inline constexpr std::size_t kMaxTitleBytes = 1000;
// Deployments or incidents in one API request. Files the CLI imports are the operator's own and
// have no such bound (kNoItemLimit).
inline constexpr std::size_t kMaxPushedItems = 1000;
inline constexpr std::size_t kNoItemLimit = std::numeric_limits<std::size_t>::max();

}  // namespace leadline::sources
