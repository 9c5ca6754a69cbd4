// Time for Leadline: instants are UTC seconds since the Unix epoch (git's resolution), held in
// a plain int64 so that the engine's arrays stay compact. Parsing and printing of RFC 3339 and of
// durations for people ("3d 4h") and for flags ("90d"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace leadline::common {

using UnixSeconds = std::int64_t;  // seconds since 1970-01-01T00:00:00Z
using Seconds = std::int64_t;      // a duration

inline constexpr Seconds kMinute = 60;
inline constexpr Seconds kHour = 60 * kMinute;
inline constexpr Seconds kDay = 24 * kHour;
inline constexpr Seconds kWeek = 7 * kDay;

// "2024-05-01T12:00:00Z" (always UTC, no fraction).
std::string FormatRfc3339(UnixSeconds t);

// Accepts RFC 3339 date-times with any offset ("2024-05-01T14:00:00+02:00", "...Z", fractions
// are truncated) and plain dates ("2024-05-01", midnight UTC).
Result<UnixSeconds> ParseRfc3339(std::string_view text);

// A duration for people: the two largest non-zero units, e.g. "3d 4h", "5h 12m", "42s", "0s".
std::string FormatHumanDuration(Seconds d);

// The longest duration a flag takes unless told otherwise: a hundred years, past any window,
// lookback or lifetime that makes sense, and far from where seconds overflow.
inline constexpr Seconds kLongestDurationFlag = 36525 * kDay;

// A duration flag: a positive integer and a unit s, m, h, d or w ("90d", "12h", "2w"), at most
// `longest` ("9999999999999d" is an error that names the limit, never a wrapped number).
Result<Seconds> ParseDurationFlag(std::string_view text, Seconds longest = kLongestDurationFlag);

// Now, from the system clock.
UnixSeconds NowUnixSeconds();

}  // namespace leadline::common
