// The fixture of the BI end-to-end tests (tests/cli/bi_*_test.cpp): the double's three
// repositories synced (acme/repo-1 in project pa, acme/repo-2 in pb, acme/repo-3 in none), a team,
// an incident and a failed deployment of each project's repository (restored by the next), the
// analytics tables refreshed, and `leadline serve` answering the API; with helpers to connect to
// the test database as another PostgreSQL role and read numbers.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "serve_cli_fixture.h"
#include "store/tables/analytics.h"

namespace leadline::testing {

class AnalyticsDataTest : public ReadApiTest {
 protected:
  // A team of leadline.toml: the double's pull requests are dev@example.com's.
  void SetUp() override {
    std::ofstream(dir_.Child("leadline.toml")) << "[teams.devs]\nmembers = [\"dev@example.com\"]\n";
    ReadApiTest::SetUp();
  }
  void BeforeServe() override {
    const std::string now = common::FormatRfc3339(common::NowUnixSeconds() - common::kDay);
    const std::string restored = common::FormatRfc3339(common::NowUnixSeconds() - common::kDay / 2);
    const std::string file = dir_.Child("incidents.json");
    std::ofstream(file) << R"({"incidents": [
        {"id": "INC-1", "repository": "acme/repo-1", "severity": "P1", "title": "Down",
         "started_at": ")"
                        << now << R"("},
        {"id": "INC-2", "repository": "acme/repo-2", "severity": "P1", "title": "Down",
         "started_at": ")"
                        << now << R"("}]})";
    ASSERT_EQ(Leadline("incidents import " + file).exit_code, 0);
    // A failed deployment of each project's repository: rows of failure_reasons for both.
    std::string deployments;
    for (const std::string repository : {"acme/repo-1", "acme/repo-2"}) {
      const std::string sha = Query(
          "SELECT c.sha FROM commits c JOIN repositories r ON r.id = c.repo_id WHERE "
          "r.location = '" +
          repository + "' ORDER BY c.committer_time DESC, c.sha LIMIT 1");
      ASSERT_FALSE(sha.empty()) << repository;
      deployments += std::string(deployments.empty() ? "" : ",") + R"({"id": ")" + repository +
                     R"(-failed", "repository": ")" + repository +
                     R"(", "environment": "production", "commit": ")" + sha +
                     R"(", "status": "failed", "finished_at": ")" + now + R"("},)";
      // Redeployed half a day later: service restored.
      deployments += R"({"id": ")" + repository + R"(-restored", "repository": ")" + repository +
                     R"(", "environment": "production", "commit": ")" + sha +
                     R"(", "status": "success", "finished_at": ")" + restored + R"("})";
    }
    std::ofstream(dir_.Child("deployments.json")) << R"({"deployments": [)" << deployments << "]}";
    const LeadlineRun pushed = Leadline("deployments import " + dir_.Child("deployments.json"));
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
    const LeadlineRun refreshed = Leadline("analytics refresh");
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
    std::ofstream(dir_.Child("password")) << kPassword << "\n";
  }

  // The test database's URL, connecting as `role` (the server trusts loopback connections, so
  // what is tested is what the role may do once connected, not its password).
  std::string UrlAs(const std::string& role) const {
    std::string url = db();
    const std::size_t user = url.find("leadline@");
    return url.replace(user, std::string("leadline").size(), role);
  }
  std::unique_ptr<store::sql::Connection> ConnectAs(const std::string& role) const {
    auto db = store::postgres::PgConnection::Open(UrlAs(role), role);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  // The first column of the first row of `sql` as an integer, or the error.
  static common::Result<std::int64_t> Number(store::sql::Connection& db, const std::string& sql) {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return common::Status::NotFound("no row");
    return stmt.ColumnIsNull(0) ? std::int64_t{0} : stmt.ColumnInt(0);
  }
  // `sql` fails with PostgreSQL's "permission denied" or a row-level security refusal.
  static void ExpectRefused(store::sql::Connection& db, const std::string& sql) {
    const common::Status status = db.Exec(sql);
    EXPECT_FALSE(status.ok()) << sql;
    EXPECT_TRUE(status.message().find("permission denied") != std::string::npos ||
                status.message().find("row-level security") != std::string::npos ||
                status.message().find("must be") != std::string::npos)
        << sql << ": " << status.message();
  }

  static constexpr const char* kPassword = "correct horse battery staple";
};

}  // namespace leadline::testing
