// The incident rule of the failure evidence (LinkIncidents, EvaluateFailures) and which
// incidents count against a repository (SelectIncidents).
#include <gtest/gtest.h>

#include "engine/failure_evidence.h"
#include "engine/incident_selection.h"
#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

using common::kDay;
using common::kHour;
using common::UnixSeconds;

constexpr UnixSeconds kT0 = 1704067200;  // 2024-01-01T00:00:00Z
UnixSeconds Hours(double h) { return kT0 + static_cast<UnixSeconds>(h * kHour); }

// A - B - C on main, deployed at hours 10 (A), 20 (B) and 40 (C).
class IncidentEvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.Commit("A", {}, Hours(0));
    repo_.Commit("B", {"A"}, Hours(15));
    repo_.Commit("C", {"B"}, Hours(35));
    repo_.Build();
    points_ = {{repo_["A"], Hours(10), true},
               {repo_["B"], Hours(20), true},
               {repo_["C"], Hours(40), true}};
    attribution_ = AttributeChanges(repo_.snapshot().graph, points_, 90 * kDay);
  }

  IncidentPoint Incident(const std::string& id, double started, std::optional<double> resolved) {
    IncidentPoint point;
    point.id = id;
    point.started_at = Hours(started);
    if (resolved) point.resolved_at = Hours(*resolved);
    return point;
  }

  std::vector<DeploymentOutcome> Evaluate(const std::vector<IncidentPoint>& incidents,
                                          const FailureRules& rules = {}) {
    links_ = LinkIncidents(points_, attribution_, incidents, rules);
    return EvaluateFailures(repo_.snapshot(), points_, attribution_, rules, incidents, links_);
  }

  leadline::testing::SnapshotScript repo_;
  std::vector<DeploymentPoint> points_;
  Attribution attribution_;
  std::vector<IncidentLink> links_;
};

TEST_F(IncidentEvidenceTest, IncidentSoonAfterADeploymentFailsItUntilResolved) {
  // INC-1 starts 3 h after the deployment of B and is resolved 2 h later.
  const auto outcomes = Evaluate({Incident("INC-1", 23, 25)});
  ASSERT_EQ(links_.size(), 1u);
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kWindow);
  EXPECT_EQ(links_[0].deployment, 1u);
  ASSERT_EQ(outcomes[1].reasons.size(), 1u);
  EXPECT_EQ(outcomes[1].reasons[0].kind, FailureKind::kIncident);
  EXPECT_EQ(outcomes[1].reasons[0].incident, 0u);
  EXPECT_EQ(outcomes[1].resolved_incident, 0u);
  EXPECT_FALSE(outcomes[1].restored_by.has_value());
  EXPECT_EQ(outcomes[1].restored_at, Hours(25));
  EXPECT_EQ(outcomes[1].incident_started, Hours(23));
  EXPECT_FALSE(outcomes[0].failed());
  EXPECT_FALSE(outcomes[2].failed());
}

TEST_F(IncidentEvidenceTest, IncidentLongAfterTheLastDeploymentFailsNothing) {
  // 25 h after C's deployment: outside the 24-hour window.
  const auto outcomes = Evaluate({Incident("INC-2", 65, 66)});
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kNone);
  EXPECT_EQ(links_[0].not_tied,
            "the last deployment before it finished 1d 1h earlier, beyond the incident window of "
            "1d");
  for (const DeploymentOutcome& outcome : outcomes) EXPECT_FALSE(outcome.failed());
  FailureRules wide;
  wide.incident_window = 30 * kHour;
  EXPECT_TRUE(Evaluate({Incident("INC-2", 65, 66)}, wide)[2].failed());
}

TEST_F(IncidentEvidenceTest, IncidentBeforeAnyDeploymentFailsNothing) {
  const auto outcomes = Evaluate({Incident("INC-3", 5, 6)});
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kNone);
  EXPECT_FALSE(links_[0].deployment.has_value());
  EXPECT_EQ(links_[0].not_tied, "no deployment finished before it began");
  // A tied incident has no such reason.
  Evaluate({Incident("INC-1", 23, 25)});
  EXPECT_EQ(links_[0].not_tied, "");
}

TEST_F(IncidentEvidenceTest, DeploymentsWhileAnIncidentIsOpenAreRework) {
  // Open from hour 21 to 41: C (hour 40) is made under it; B caused it.
  const auto outcomes = Evaluate({Incident("INC-4", 21, 41)});
  EXPECT_TRUE(outcomes[1].failed());
  EXPECT_FALSE(outcomes[1].rework());
  EXPECT_EQ(outcomes[2].rework_reasons, std::vector<std::string>{"incident"});
  // Still open: C is rework all the same, and B is not restored.
  const auto open = Evaluate({Incident("INC-4", 21, std::nullopt)});
  EXPECT_EQ(open[2].rework_reasons, std::vector<std::string>{"incident"});
  EXPECT_FALSE(open[1].restored_at.has_value());
}

TEST_F(IncidentEvidenceTest, ANamedCommitBlamesTheDeploymentThatFirstShippedIt) {
  IncidentPoint incident = Incident("INC-5", 45, 46);  // after C, but B's commit is named
  incident.commit = repo_["B"];
  Evaluate({incident});
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kCommit);
  EXPECT_EQ(links_[0].deployment, 1u);
  // A commit no deployment shipped ties it to nothing, and says so.
  points_.pop_back();
  points_.pop_back();
  attribution_ = AttributeChanges(repo_.snapshot().graph, points_, 90 * kDay);
  Evaluate({incident});
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kNone);
  EXPECT_EQ(links_[0].not_tied, "the commit it names was shipped by no deployment");
}

TEST_F(IncidentEvidenceTest, ANamedDeploymentWinsAndRecoveryStartsAtTheEarlierIncident) {
  // The reporter names C's deployment, though the incident began before it finished.
  IncidentPoint incident = Incident("INC-6", 39, 42);
  incident.deployment = 2;
  const auto outcomes = Evaluate({incident});
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kNamed);
  EXPECT_EQ(outcomes[2].incident_started, Hours(39));
  EXPECT_EQ(outcomes[2].restored_at, Hours(42));
}

// What a change event named ties by the same rules, said as its own: its deployment, or the
// deployment that first shipped its commit.
TEST_F(IncidentEvidenceTest, AChangeEventsDeploymentOrCommitTiesItAsAChangeEvent) {
  IncidentPoint named = Incident("INC-8", 45, 46);  // after C; the event names A's deployment
  named.deployment = 0;
  named.by_change_event = true;
  IncidentPoint committed = Incident("INC-9", 45, 46);  // its commit B shipped with B
  committed.commit = repo_["B"];
  committed.by_change_event = true;
  const auto outcomes = Evaluate({named, committed});
  EXPECT_EQ(links_[0].kind, IncidentLinkKind::kChangeEvent);
  EXPECT_EQ(links_[0].deployment, 0u);
  EXPECT_EQ(links_[1].kind, IncidentLinkKind::kChangeEvent);
  EXPECT_EQ(links_[1].deployment, 1u);
  EXPECT_STREQ(IncidentLinkKindName(links_[0].kind), "change_event");
  EXPECT_TRUE(outcomes[0].failed());
  EXPECT_TRUE(outcomes[1].failed());
  EXPECT_FALSE(outcomes[2].failed());
}

TEST_F(IncidentEvidenceTest, TheEarliestRestorationWins) {
  // B's deployment fails its incident; a re-deployment... here C ships at hour 40, while the
  // incident is resolved at hour 30: the resolution restores service first.
  points_[1].success = false;
  attribution_ = AttributeChanges(repo_.snapshot().graph, points_, 90 * kDay);
  const auto outcomes = Evaluate({Incident("INC-7", 21, 30)});
  ASSERT_EQ(outcomes[1].reasons.size(), 2u);  // deployment_failed, incident
  EXPECT_EQ(outcomes[1].restored_at, Hours(30));
  EXPECT_EQ(outcomes[1].resolved_incident, 0u);
  // Resolved after C: C restored service.
  const auto later = Evaluate({Incident("INC-7", 21, 50)});
  EXPECT_EQ(later[1].restored_at, Hours(40));
  EXPECT_EQ(later[1].restored_by, 2u);
  EXPECT_FALSE(later[1].resolved_incident.has_value());
}

TEST_F(IncidentEvidenceTest, IncidentsCanBeLeftOutOfTheRules) {
  FailureRules rules;
  rules.count_incidents = false;
  const auto outcomes = Evaluate({Incident("INC-1", 23, 25)}, rules);
  for (const DeploymentOutcome& outcome : outcomes) {
    EXPECT_FALSE(outcome.failed());
    EXPECT_FALSE(outcome.rework());
  }
}

model::Incident Reported(const std::string& id, const std::string& service,
                         const std::string& severity) {
  model::Incident incident;
  incident.id = id;
  incident.service = service;
  incident.severity = severity;
  incident.started_at = Hours(1);
  return incident;
}

TEST_F(IncidentEvidenceTest, SelectionMapsServicesAndFiltersSeverities) {
  const model::Repository repository{1, "bitbucket-cloud", "acme/api", "API", "main", 1, true, ""};
  model::Incident named = Reported("N", "billing", "sev1");
  named.repository = "acme/api";
  named.commit = repo_.snapshot().graph.id(repo_["B"]).Hex().substr(0, 12);
  named.deployment = "v3";
  model::Incident elsewhere = Reported("E", "api", "P1");
  elsewhere.repository = "acme/web";
  const std::vector<model::Incident> incidents = {Reported("1", "api", "P1"),
                                                  Reported("2", "API", "p2"),
                                                  Reported("3", "api", "P3"),
                                                  Reported("4", "web", "P1"),
                                                  Reported("5", "api", "P4"),
                                                  Reported("6", "api", "P3"),
                                                  named,
                                                  elsewhere};
  std::vector<model::Deployment> deployments(3);
  deployments[2].ref = "v3";

  IncidentSelection selected =
      SelectIncidents(incidents, repository, {}, repo_.snapshot().graph, deployments);
  std::vector<std::string> ids;
  for (const IncidentPoint& point : selected.points) ids.push_back(point.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "N"}));
  EXPECT_EQ(selected.excluded_severities,
            (std::map<std::string, std::size_t>{{"P3", 2}, {"P4", 1}}));
  EXPECT_EQ(selected.points[2].commit, repo_["B"]);
  EXPECT_EQ(selected.points[2].deployment, 2u);
  EXPECT_FALSE(selected.points[2].by_change_event);
  std::vector<model::Incident> from_event = {named};
  from_event[0].named_by = model::kNamedByChangeEvent;
  EXPECT_TRUE(SelectIncidents(from_event, repository, {}, repo_.snapshot().graph, deployments)
                  .points[0]
                  .by_change_event);

  IncidentRules every;
  every.severities = {"*"};
  every.services = {"web"};
  selected = SelectIncidents(incidents, repository, every, repo_.snapshot().graph, deployments);
  ids.clear();
  for (const IncidentPoint& point : selected.points) ids.push_back(point.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"4", "N"}));
  EXPECT_TRUE(selected.excluded_severities.empty());
}

}  // namespace
}  // namespace leadline::engine
