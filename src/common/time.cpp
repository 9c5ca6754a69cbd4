#include "common/time.h"

#include <date/date.h>

#include <charconv>
#include <chrono>
#include <sstream>

namespace leadline::common {
namespace {

using std::chrono::sys_seconds;

bool ParseDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, out);
  return ec == std::errc() && ptr == text.data() + pos + count;
}

Status BadTime(std::string_view text) {
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not an RFC 3339 time (expected e.g. 2024-05-01T12:00:00Z)");
}

}  // namespace

std::string FormatRfc3339(UnixSeconds t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", sys_seconds(std::chrono::seconds(t)));
}

Result<UnixSeconds> ParseRfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (!ParseDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text, 5, 2, month) || !ParseDigits(text, 8, 2, day)) {
    return BadTime(text);
  }
  const date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(month)),
                                 date::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return BadTime(text);
  Seconds seconds_of_day = 0;
  std::size_t pos = 10;
  if (pos < text.size()) {
    int hour = 0, minute = 0, second = 0;
    if ((text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') ||
        !ParseDigits(text, pos + 1, 2, hour) || text.size() < pos + 9 || text[pos + 3] != ':' ||
        !ParseDigits(text, pos + 4, 2, minute) || text[pos + 6] != ':' ||
        !ParseDigits(text, pos + 7, 2, second) || hour > 23 || minute > 59 || second > 60) {
      return BadTime(text);
    }
    seconds_of_day = hour * kHour + minute * kMinute + second;
    pos += 9;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    }
    if (pos == text.size()) return BadTime(text);  // a time needs an offset
    if (text[pos] == 'Z' || text[pos] == 'z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      int off_hour = 0, off_minute = 0;
      if (!ParseDigits(text, pos + 1, 2, off_hour) || text.size() < pos + 6 ||
          text[pos + 3] != ':' || !ParseDigits(text, pos + 4, 2, off_minute)) {
        return BadTime(text);
      }
      const Seconds offset = off_hour * kHour + off_minute * kMinute;
      seconds_of_day -= text[pos] == '+' ? offset : -offset;
      pos += 6;
    } else {
      return BadTime(text);
    }
  }
  if (pos != text.size()) return BadTime(text);
  const auto days = date::sys_days(ymd).time_since_epoch().count();
  return static_cast<UnixSeconds>(days) * kDay + seconds_of_day;
}

std::string FormatHumanDuration(Seconds d) {
  if (d < 0) return "-" + FormatHumanDuration(-d);
  struct Unit {
    Seconds size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {1, "s"}};
  std::string out;
  int parts = 0;
  for (const Unit& unit : kUnits) {
    const Seconds count = d / unit.size;
    if (count == 0 && parts == 0) continue;
    if (count > 0) {
      if (!out.empty()) out += ' ';
      out += std::to_string(count) + unit.name;
    }
    d -= count * unit.size;
    if (++parts == 2) break;
  }
  return out.empty() ? "0s" : out;
}

Result<Seconds> ParseDurationFlag(std::string_view text, Seconds longest) {
  Seconds count = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  const std::size_t digits = static_cast<std::size_t>(ptr - text.data());
  // Too many digits for a count leave it 0, and are too long rather than malformed.
  const bool out_of_range = ec == std::errc::result_out_of_range;
  if ((ec != std::errc() && !out_of_range) || digits == 0 || digits + 1 != text.size() ||
      (count <= 0 && !out_of_range)) {
    return Status::InvalidArgument(
        "'" + std::string(text) +
        "' is not a duration (expected a number and a unit: 90d, 12h, 2w)");
  }
  Seconds unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = kMinute;
      break;
    case 'h':
      unit = kHour;
      break;
    case 'd':
      unit = kDay;
      break;
    case 'w':
      unit = kWeek;
      break;
    default:
      return Status::InvalidArgument("'" + std::string(text) +
                                     "' has an unknown unit (use s, m, h, d or w, as in 90d)");
  }
  // Compared as a count of units, so that the product never overflows.
  if (out_of_range || count > longest / unit) {
    return Status::InvalidArgument("'" + std::string(text) + "' is too long (at most " +
                                   FormatHumanDuration(longest) + ")");
  }
  return count * unit;
}

UnixSeconds NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace leadline::common
