#include "api/gzip_body.h"

#include <zlib.h>

#include <algorithm>
#include <utility>

namespace leadline::api {

InflatedBody InflateGzip(std::string_view compressed, std::size_t limit) {
  using Outcome = InflatedBody::Outcome;
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {  // 16: gzip framing only
    return {Outcome::kCorrupt, {}};
  }
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  constexpr std::size_t kStep = 64 * 1024;
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    // Never more room than the limit allows, plus one byte to notice going past it.
    const std::size_t room = std::min(kStep, limit + 1 - out.size());
    const std::size_t before = out.size();
    out.resize(before + room);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    stream.avail_out = static_cast<uInt>(room);
    result = inflate(&stream, Z_NO_FLUSH);
    out.resize(before + room - stream.avail_out);
    if (out.size() > limit) {
      inflateEnd(&stream);
      return {Outcome::kTooLarge, {}};
    }
    if (result == Z_BUF_ERROR && stream.avail_in == 0) break;  // the input ended early
    if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) break;
  }
  const bool complete = result == Z_STREAM_END && stream.avail_in == 0;
  inflateEnd(&stream);
  if (!complete) return {Outcome::kCorrupt, {}};
  return {Outcome::kOk, std::move(out)};
}

}  // namespace leadline::api
