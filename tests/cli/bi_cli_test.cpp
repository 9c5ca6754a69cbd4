// End-to-end tests of `leadline bi grant / revoke / roles` (docs/bi.md): on PostgreSQL (as
// Postgres.BiRolesCliTest.*), a role made for project pa, connected with libpq as itself, reads
// only pa's rows of every analytics table (counts and aggregates), cannot write or grant itself
// more, and reads nothing of the store; the tables' owner still writes and other roles read
// nothing. On SQLite the commands say that roles need PostgreSQL.
#include "bi_cli_fixture.h"

namespace leadline::testing {
namespace {

using BiRolesCliTest = AnalyticsDataTest;

TEST_F(BiRolesCliTest, ARoleReadsOnlyItsProjectsRowsAndCannotWrite) {
  if (!OnPostgres()) GTEST_SKIP() << "roles are PostgreSQL's";
  const LeadlineRun granted =
      Leadline("bi grant --role bi_pa --projects pa --password-file " + dir_.Child("password"));
  ASSERT_EQ(granted.exit_code, 0) << granted.err;
  EXPECT_EQ(granted.out,
            "BI role bi_pa reads the analytics rows of: pa (password set; it may log in).\n");
  // The server keeps a SCRAM verifier; the password itself was never sent.
  EXPECT_TRUE(Query("SELECT rolpassword FROM pg_authid WHERE rolname = 'bi_pa'")
                  .starts_with("SCRAM-SHA-256$"));

  auto owner = RawStore();
  auto bi = ConnectAs("bi_pa");
  ASSERT_NE(owner, nullptr);
  ASSERT_NE(bi, nullptr);
  std::size_t tables_with_other_rows = 0;
  for (const store::AnalyticsTable& table : store::AnalyticsTables()) {
    const std::string name = store::AnalyticsSqlName(table, /*postgres=*/true);
    const auto all = Number(*owner, "SELECT COUNT(*) FROM " + name);
    const auto of_pa = Number(*owner, "SELECT COUNT(*) FROM " + name + " WHERE project_key = 'pa'");
    const auto seen = Number(*bi, "SELECT COUNT(*) FROM " + name);
    const auto seen_of_others =
        Number(*bi, "SELECT COUNT(*) FROM " + name + " WHERE project_key <> 'pa'");
    ASSERT_TRUE(all.ok() && of_pa.ok()) << name;
    ASSERT_TRUE(seen.ok()) << name << ": " << seen.status().message();
    ASSERT_TRUE(seen_of_others.ok()) << name;
    EXPECT_GT(*of_pa, 0) << name << " has rows of pa";
    EXPECT_EQ(*seen, *of_pa) << name;
    EXPECT_EQ(*seen_of_others, 0) << name;
    tables_with_other_rows += *all > *of_pa ? 1 : 0;
    // Through an aggregate over every project: still pa's alone.
    const auto keys = Number(*bi, "SELECT COUNT(DISTINCT project_key) FROM " + name);
    ASSERT_TRUE(keys.ok());
    EXPECT_EQ(*keys, 1) << name;
    // No write, whatever the rows.
    ExpectRefused(*bi, "DELETE FROM " + name);
    ExpectRefused(*bi, "UPDATE " + name + " SET project_key = 'pa'");
  }
  EXPECT_EQ(tables_with_other_rows, store::AnalyticsTables().size())
      << "every table holds rows of other projects, which the role does not see";
  const auto changes_pa = Number(*owner,
                                 "SELECT SUM(change_count) FROM leadline_analytics.deployments "
                                 "WHERE project_key = 'pa'");
  const auto changes_seen =
      Number(*bi, "SELECT SUM(change_count) FROM leadline_analytics.deployments");
  ASSERT_TRUE(changes_pa.ok() && changes_seen.ok());
  EXPECT_EQ(*changes_seen, *changes_pa);
  // The refreshes (a BI cache's trigger) are readable; the digests name every repository: not.
  EXPECT_TRUE(Number(*bi, "SELECT COUNT(*) FROM leadline_analytics.refreshes").ok());
  ExpectRefused(*bi, "SELECT * FROM leadline_analytics.refresh_digests");
  // It cannot grant itself more: no writes to its projects, no grants, no roles, no other role.
  ExpectRefused(*bi,
                "INSERT INTO leadline_analytics.bi_roles (role_name, project_key) VALUES "
                "('bi_pa', 'pb')");
  ExpectRefused(*bi, "UPDATE leadline_analytics.bi_roles SET project_key = 'pb'");
  ExpectRefused(*bi, "ALTER TABLE leadline_analytics.deployments DISABLE ROW LEVEL SECURITY");
  ExpectRefused(*bi, "GRANT SELECT ON leadline_analytics.refresh_digests TO bi_pa");
  ExpectRefused(*bi, "CREATE ROLE bi_more");
  ExpectRefused(*bi, "SET ROLE leadline");
  ExpectRefused(*bi,
                "INSERT INTO leadline_analytics.deployments SELECT * FROM "
                "leadline_analytics.deployments");
  // Nothing of the store's own tables.
  ExpectRefused(*bi, "SELECT * FROM repositories");
  ExpectRefused(*bi, "SELECT * FROM api_tokens");
  auto roles = Number(*bi, "SELECT COUNT(*) FROM leadline_analytics.bi_roles");
  ASSERT_TRUE(roles.ok());
  EXPECT_EQ(*roles, 1) << "it sees its own grant only";
}

TEST_F(BiRolesCliTest, TheOwnerWritesAndOtherRolesReadNothing) {
  if (!OnPostgres()) GTEST_SKIP() << "roles are PostgreSQL's";
  // A table owner that is no superuser is bound by the policies too (FORCE): the writer policy
  // lets it, and its members, read and write every row.
  auto super = RawStore();
  ASSERT_NE(super, nullptr);
  ASSERT_TRUE(super
                  ->Exec("CREATE ROLE writer LOGIN; CREATE ROLE stranger LOGIN; "
                         "GRANT USAGE ON SCHEMA leadline_analytics TO writer, stranger; "
                         "GRANT SELECT ON leadline_analytics.deployments TO stranger; "
                         "ALTER TABLE leadline_analytics.deployments OWNER TO writer")
                  .ok());
  const auto all = Number(*super, "SELECT COUNT(*) FROM leadline_analytics.deployments");
  ASSERT_TRUE(all.ok());
  ASSERT_GT(*all, 0);
  auto writer = ConnectAs("writer");
  ASSERT_NE(writer, nullptr);
  const auto seen = Number(*writer, "SELECT COUNT(*) FROM leadline_analytics.deployments");
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(*seen, *all);
  ASSERT_TRUE(writer->Begin().ok());
  EXPECT_TRUE(writer->Exec("DELETE FROM leadline_analytics.deployments").ok());
  EXPECT_EQ(writer->Changes(), *all);
  writer->Rollback();
  // A role granted SELECT by hand, with no projects, sees no row.
  auto stranger = ConnectAs("stranger");
  ASSERT_NE(stranger, nullptr);
  const auto strangers = Number(*stranger, "SELECT COUNT(*) FROM leadline_analytics.deployments");
  ASSERT_TRUE(strangers.ok()) << strangers.status().message();
  EXPECT_EQ(*strangers, 0);
}

TEST_F(BiRolesCliTest, GrantUpdatesListsAndRevokeDrops) {
  if (!OnPostgres()) GTEST_SKIP() << "roles are PostgreSQL's";
  ASSERT_EQ(Leadline("bi grant --role bi_team --projects pa").exit_code, 0);
  const LeadlineRun wider = Leadline("bi grant --role bi_team --projects pb,pa,pa");
  ASSERT_EQ(wider.exit_code, 0) << wider.err;
  EXPECT_EQ(wider.out, "BI role bi_team reads the analytics rows of: pa, pb.\n");
  const LeadlineRun listed = Leadline("bi roles");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out, "bi_team\tpa,pb\tnologin\n");
  // NOLOGIN: a member reaches it with SET ROLE, and then sees both projects' rows.
  auto session = RawStore();
  ASSERT_TRUE(session->Exec("SET ROLE bi_team").ok());
  const auto keys =
      Number(*session, "SELECT COUNT(DISTINCT project_key) FROM leadline_analytics.deployments");
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  EXPECT_EQ(*keys, 2);
  ASSERT_TRUE(session->Exec("RESET ROLE").ok());
  session.reset();

  const LeadlineRun revoked = Leadline("bi revoke --role bi_team");
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(revoked.out, "BI role bi_team dropped.\n");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM pg_roles WHERE rolname = 'bi_team'"), "0");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM leadline_analytics.bi_roles"), "0");
  EXPECT_EQ(Leadline("bi roles").out, "No BI roles; make one with `leadline bi grant`.\n");
  const LeadlineRun again = Leadline("bi revoke --role bi_team");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("no BI role 'bi_team'"), std::string::npos) << again.err;
}

TEST_F(BiRolesCliTest, BadInputIsRefusedClearly) {
  if (!OnPostgres()) GTEST_SKIP() << "roles are PostgreSQL's";
  ASSERT_TRUE(RawStore()->Exec("CREATE ROLE someone_else").ok());
  struct Case {
    std::string args, error;
  };
  for (const Case& bad : std::vector<Case>{
           {"grant --role Bad-Name --projects pa", "role name 'Bad-Name': use 1 to 63 of a-z"},
           {"grant --role 'x\"; DROP TABLE repositories; --' --projects pa", "role name 'x\""},
           {"grant --role pg_monitor --projects pa", "role name 'pg_monitor'"},
           {"grant --role " + std::string(64, 'a') + " --projects pa",
            "role name '" + std::string(64, 'a') + "': use 1 to 63"},
           {"grant --role bi_x --projects 'pa'\\'';--'", "no project 'pa';--'"},
           {"grant --role bi_x --projects ,", "--projects names no project"},
           {"grant --role someone_else --projects pa",
            "the PostgreSQL role 'someone_else' exists and is not one `leadline bi grant` made"},
           {"grant --role bi_x --projects pa --password-file /nonexistent",
            "cannot read the secret file '/nonexistent'"},
           {"revoke --role someone_else", "no BI role 'someone_else'"}}) {
    const LeadlineRun run = Leadline("bi " + bad.args);
    EXPECT_EQ(run.exit_code, 1) << bad.args << ": " << run.err;
    EXPECT_NE(run.err.find("leadline: error: " + bad.error), std::string::npos)
        << bad.args << ": " << run.err;
  }
  EXPECT_EQ(Query("SELECT COUNT(*) FROM pg_roles WHERE rolname = 'someone_else'"), "1");
  // A role of ours given a privilege by hand that passes row-level security is not managed on.
  ASSERT_EQ(Leadline("bi grant --role bi_y --projects pa").exit_code, 0);
  ASSERT_TRUE(RawStore()->Exec("ALTER ROLE bi_y BYPASSRLS").ok());
  const LeadlineRun privileged = Leadline("bi grant --role bi_y --projects pb");
  EXPECT_EQ(privileged.exit_code, 1);
  EXPECT_NE(privileged.err.find("the role 'bi_y' was given SUPERUSER, BYPASSRLS, CREATEROLE or "
                                "REPLICATION since `leadline bi grant` made it"),
            std::string::npos)
      << privileged.err;
  EXPECT_EQ(Query("SELECT string_agg(project_key, ',') FROM leadline_analytics.bi_roles"), "pa");
  ASSERT_EQ(Leadline("bi revoke --role bi_y").exit_code, 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM leadline_analytics.bi_roles"), "0");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM repositories"), "3");
}

TEST_F(BiRolesCliTest, OnSqliteRolesNeedPostgres) {
  if (OnPostgres()) GTEST_SKIP() << "the SQLite store's answer";
  const LeadlineRun run = Leadline("bi grant --role bi_pa --projects pa");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("BI roles are PostgreSQL roles, and the store "), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace leadline::testing
