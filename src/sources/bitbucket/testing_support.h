// Test support for the Bitbucket parser tests: the project's JSON fixtures, a CSV reader for the
// recorded API responses in ../shared/fixtures/captured, a way to spoil one field of a fixture,
// and the check that a parser rejects it. Tests only; plain functions, thread-safe.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace leadline::sources::bitbucket::testing {

// Element `index` of the `values` of the page in tests/fixtures/bitbucket/<relative>, or the
// whole file when `index` is kWholeFile. Records a test failure and gives null when the file is
// missing or malformed.
inline constexpr std::size_t kWholeFile = static_cast<std::size_t>(-1);
nlohmann::json Fixture(const std::string& relative, std::size_t index = kWholeFile);

common::Result<std::string> ReadFile(const std::string& path);

// A CSV table as RFC 4180 writes it: fields separated by commas and records by LF or CRLF; a field
// in double quotes may hold commas, line breaks and doubled quotes ("" for one quote). Blank
// lines between records are skipped.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each with as many fields as the header
};

common::Result<CsvTable> ParseCsv(std::string_view text);

// A copy of `object` with the value at the JSON pointer `pointer` replaced by `value`, or
// removed when `value` is kRemove.
inline const nlohmann::json kRemove = nlohmann::json(nlohmann::json::value_t::discarded);
nlohmann::json WithField(nlohmann::json object, const std::string& pointer,
                         const nlohmann::json& value);

// Expects `parse(payload)` to fail with an InvalidArgument whose message contains `expected`.
template <typename Parse>
void ExpectRejected(Parse parse, const nlohmann::json& payload, const std::string& expected) {
  const auto result = parse(payload);
  ASSERT_FALSE(result.ok()) << "accepted " << payload.dump();
  EXPECT_EQ(result.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), ::testing::HasSubstr(expected));
}

}  // namespace leadline::sources::bitbucket::testing
