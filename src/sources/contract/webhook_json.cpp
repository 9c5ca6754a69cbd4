#include "sources/contract/webhook_json.h"

namespace leadline::sources {
namespace {

// A parser keeps its buffers between documents but is not shared between threads.
simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}
// A parser grows to the largest document it has read; past this, it is let go after the read.
constexpr std::size_t kKeptCapacity = 1 << 20;

}  // namespace

bool ReadWebhookJson(std::string_view body,
                     const std::function<void(simdjson::dom::element)>& read) {
  simdjson::dom::parser& parser = ThreadParser();
  simdjson::dom::element document;
  const bool is_json = parser.parse(body.data(), body.size()).get(document) == simdjson::SUCCESS;
  if (is_json) read(document);
  if (parser.capacity() > kKeptCapacity) parser = simdjson::dom::parser();
  return is_json;
}

}  // namespace leadline::sources
