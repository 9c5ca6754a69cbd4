// Reads a webhook delivery's body with simdjson, for the decoders (webhook_decoder.h): intake
// validates every delivery's JSON, and building a document of an 11 KB payload only to read two
// fields was a quarter of the server's time under load. Each thread keeps one parser, which
// keeps its buffers between bodies unless a body made them larger than 1 MiB. Include it from
// .cpp files only (it brings simdjson). Thread-safe.
#pragma once

#include <simdjson.h>

#include <functional>
#include <string_view>

namespace leadline::sources {

// Calls `read` with the document when `body` is one valid JSON text; returns whether it was.
// The element is valid during the call only.
bool ReadWebhookJson(std::string_view body,
                     const std::function<void(simdjson::dom::element)>& read);

}  // namespace leadline::sources
