// Parsing one page of a listing whole, before anything of it is stored.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"

namespace leadline::sources {

// Every value of the page through `parse`. The first that fails is the error, naming what it is
// ("pipeline 3"), and the page's URL without credentials.
template <typename T, typename Parse>
common::Result<std::vector<T>> ParsePage(const nlohmann::json& values, const std::string& url,
                                         const std::string& what, Parse parse) {
  std::vector<T> out;
  out.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    common::Result<T> row = parse(values[i]);
    if (!row.ok()) {
      return row.status().WithContext(what + " " + std::to_string(i) + " of " +
                                      http::RedactUrl(url));
    }
    out.push_back(std::move(row).value());
  }
  return out;
}

}  // namespace leadline::sources
