#include "sources/push/incident_json.h"

#include <gtest/gtest.h>

namespace leadline::sources {
namespace {

TEST(IncidentJsonTest, ReadsEveryField) {
  const auto incidents = ParseIncidents(R"({"incidents": [
    {"id": "INC-42", "service": "api", "severity": "P1", "title": "Checkout fails",
     "started_at": "2024-03-05T10:40:00Z", "resolved_at": "2024-03-05T11:10:00+00:00",
     "repository": "acme/api", "deployment": "#186", "commit": "3F2A9C1E7B04"},
    {"id": "INC-43", "repository": "acme/web", "severity": "SEV2",
     "started_at": "2024-03-06T00:00:00Z", "resolved_at": null}]})",
                                        "import", kMaxPushedItems);
  ASSERT_TRUE(incidents.ok()) << incidents.status().message();
  ASSERT_EQ(incidents->size(), 2u);
  const model::Incident& first = (*incidents)[0];
  EXPECT_EQ(first.id, "INC-42");
  EXPECT_EQ(first.source, "import");
  EXPECT_EQ(first.service, "api");
  EXPECT_EQ(first.severity, "P1");
  EXPECT_EQ(first.title, "Checkout fails");
  EXPECT_EQ(first.started_at, 1709596800 + 10 * 3600 + 40 * 60);
  EXPECT_EQ(first.resolved_at, first.started_at + 30 * 60);
  EXPECT_EQ(first.repository, "acme/api");
  EXPECT_EQ(first.deployment, "#186");
  EXPECT_EQ(first.commit, "3f2a9c1e7b04");  // hashes are kept lowercase
  EXPECT_FALSE((*incidents)[1].resolved_at.has_value());
  EXPECT_EQ((*incidents)[1].service, "");
}

TEST(IncidentJsonTest, ReadsTheAcknowledgementAndTheLink) {
  const auto incidents = ParseIncidents(
      R"({"id": "A", "service": "api", "severity": "P2", "started_at": "2024-01-01T00:00:00Z",
          "acknowledged_at": "2024-01-01T00:05:00Z", "link": "https://status.example.com/A"})",
      "api", kMaxPushedItems);
  ASSERT_TRUE(incidents.ok()) << incidents.status().message();
  EXPECT_EQ((*incidents)[0].acknowledged_at, 1704067200 + 300);
  EXPECT_EQ((*incidents)[0].link, "https://status.example.com/A");

  const ParsedIncidents bad = ReadIncidents(
      R"({"id": "B", "service": "api", "severity": "P2", "started_at": "2024-01-01T00:00:00Z",
          "acknowledged_at": "2023-12-31T23:00:00Z", "link": "javascript:void"})",
      "api", kMaxPushedItems);
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_EQ(bad.errors[0].field, "link");
  EXPECT_EQ(bad.errors[0].message, "must be an http or https URL");
  EXPECT_EQ(bad.errors[1].field, "acknowledged_at");
  EXPECT_EQ(bad.errors[1].message, "is before started_at");
}

TEST(IncidentJsonTest, AcceptsOneIncidentOrABareArray) {
  const char* one =
      R"({"id": "A", "service": "api", "severity": "P2", "started_at": "2024-01-01T00:00:00Z"})";
  EXPECT_EQ(ParseIncidents(one, "api", kMaxPushedItems)->size(), 1u);
  EXPECT_EQ(ParseIncidents(std::string("[") + one + "," + one + "]", "api", kMaxPushedItems)
                .status()
                .message(),
            "the document: the id 'A' is given more than once");
}

TEST(IncidentJsonTest, ListsEveryBadFieldWithWhereItIs) {
  const ParsedIncidents parsed = ReadIncidents(R"([
    {"id": "A", "service": "api", "severity": "P1", "started_at": "2024-03-05T10:40:00Z"},
    {"id": 7, "severity": "", "started_at": "yesterday", "commit": "xyz", "owner": "ops"},
    {"id": "C", "service": "api", "severity": "P1", "started_at": "2024-03-05T10:40:00Z",
     "resolved_at": "2024-03-05T10:00:00Z"},
    "INC-4"])",
                                               "import", kMaxPushedItems);
  std::vector<std::string> fields;
  for (const FieldError& error : parsed.errors) fields.push_back(error.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"[1].id", "[1].severity", "[1].started_at", "[1].owner",
                                      "[1].service", "[1].commit", "[2].resolved_at", "[3]"}));
  EXPECT_EQ(parsed.errors[2].message,
            "must be an RFC 3339 time such as 2024-03-05T10:40:00Z, not 'yesterday'");
  EXPECT_EQ(parsed.errors[5].message, "must be a commit hash of 7 to 40 hex digits");
  EXPECT_EQ(parsed.errors[6].message, "is before started_at");
  EXPECT_EQ(parsed.errors[7].message, "must be an object");
}

TEST(IncidentJsonTest, NeedsAServiceOrARepository) {
  const auto result =
      ParseIncidents(R"({"id": "A", "severity": "P1", "started_at": "2024-01-01T00:00:00Z"})", "x",
                     kMaxPushedItems);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "service: is required when no repository is named");
}

TEST(IncidentJsonTest, RejectsWhatIsNotJsonOrNotIncidents) {
  EXPECT_EQ(ParseIncidents("{not json", "x", kMaxPushedItems).status().message(),
            "the document: is not valid JSON");
  EXPECT_EQ(ParseIncidents(R"({"incidents": 3})", "x", kMaxPushedItems).status().message(),
            "incidents: must be an array");
  EXPECT_EQ(ParseIncidents("42", "x", kMaxPushedItems).status().message(),
            "the document: must be an object");
}

TEST(IncidentJsonTest, BoundsTextFieldsAndRefusesControlCharacters) {
  const std::string long_id(kMaxIdentifierBytes + 1, 'a');
  const ParsedIncidents parsed = ReadIncidents(
      R"([{"id": ")" + long_id + R"(", "service": "api\u0000x", "severity": "P1\u007f",
           "started_at": "2024-03-05T10:40:00Z", "title": ")" +
          std::string(kMaxTitleBytes + 1, 't') + R"(", "repository": "acme/\napi",
           "deployment": "#1\t2"},
          {"id": ")" +
          std::string(kMaxIdentifierBytes, 'b') + R"(", "service": "api",
           "severity": "P1", "started_at": "2024-03-05T10:40:00Z", "title": ")" +
          std::string(kMaxTitleBytes, 't') + R"(", "commit": ")" + long_id + R"("}])",
      "api", kMaxPushedItems);
  std::vector<std::string> fields;
  for (const FieldError& error : parsed.errors) fields.push_back(error.field);
  // At the bounds is fine; over them, or with a control character, names the field once.
  EXPECT_EQ(fields, (std::vector<std::string>{"[0].id", "[0].service", "[0].severity", "[0].title",
                                              "[0].repository", "[0].deployment", "[1].commit"}));
  EXPECT_EQ(parsed.errors[0].message, "must be at most 200 bytes, not 201");
  EXPECT_EQ(parsed.errors[1].message,
            "must not contain control characters (bytes below 0x20, or 0x7f)");
  EXPECT_EQ(parsed.errors[3].message, "must be at most 1000 bytes, not 1001");
  EXPECT_EQ(parsed.errors[6].message, "must be at most 200 bytes, not 201");
}

TEST(IncidentJsonTest, RefusesAnEmptyListAndMoreThanTheLimit) {
  EXPECT_EQ(ParseIncidents("[]", "api", kMaxPushedItems).status().message(),
            "the document: has no incidents");
  EXPECT_EQ(ParseIncidents(R"({"incidents": []})", "import", kNoItemLimit).status().message(),
            "the document: has no incidents");
  std::string three = "[";
  for (int i = 0; i < 3; ++i) {
    three += std::string(i == 0 ? "" : ",") + R"({"id": "I)" + std::to_string(i) +
             R"(", "service": "api", "severity": "P1", "started_at": "2024-01-01T00:00:00Z"})";
  }
  three += "]";
  const ParsedIncidents over = ReadIncidents(three, "api", 2);
  EXPECT_TRUE(over.incidents.empty());  // not read at all
  ASSERT_EQ(over.errors.size(), 1u);
  EXPECT_EQ(over.errors[0].field, "");
  EXPECT_EQ(over.errors[0].message, "has 3 incidents; send at most 2 in one request");
  EXPECT_EQ(ParseIncidents(three, "api", 3)->size(), 3u);
  EXPECT_EQ(kMaxPushedItems, 1000u);
}

}  // namespace
}  // namespace leadline::sources
