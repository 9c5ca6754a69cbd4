#include "app/doctor.h"

#include "app/change_events.h"
#include "app/repositories.h"
#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

std::optional<engine::Finding> FeedbackRefusal(
    const std::vector<store::FeedbackRepository>& feedback, std::int64_t repo_id) {
  for (const store::FeedbackRepository& repo : feedback) {
    if (repo.repo_id != repo_id || repo.refused_at == 0) continue;
    return engine::Finding{
        "feedback_refused", true,
        "feedback on pull requests was turned off " + common::FormatRfc3339(repo.refused_at) +
            ": the code host refused a post: " + repo.refused_reason,
        "give the connection's credentials what the refusal names, then `leadline feedback "
        "enable --repos " +
            repo.location + " --mode " + store::FeedbackModeName(repo.mode) + "`"};
  }
  return std::nullopt;
}

common::Result<std::vector<engine::Finding>> FailedChangeEvents(
    const config::Paths& paths, const engine::ConfiguredServices& configured) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const ChangeEventStatus status,
                            LoadChangeEventStatus(*store, configured));
  std::vector<engine::Finding> out;
  for (const ChangeEventServiceStatus& service : status.services) {
    const store::ChangeEventService& counts = service.counts;
    if (counts.failed == 0) continue;
    const std::string name =
        (service.service_name.empty() ? service.service_id : service.service_name) + " (" +
        service.service_id + ", " + service.connection + ")";
    out.push_back(engine::Finding{
        "change_events_failed", true,
        name + ": " + std::to_string(counts.failed) + " change event" +
            (counts.failed == 1 ? "" : "s") + " of deployments failed for good" +
            (counts.last_error.empty() ? "" : "; the newest error: " + counts.last_error),
        "`leadline services changes` lists them; give the service a working routing key with "
        "`leadline services send-changes " +
            service.service_id + " --routing-key-file FILE`, which tries the failed ones again"});
  }
  return out;
}

common::Result<std::vector<RepositoryFindings>> RunDoctor(const DoctorRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(request.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            SelectedRepositories(*store, request.pattern));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> feedback,
                            store->feedback().LoadFeedbackRepositories());
  std::vector<RepositoryFindings> out;
  for (const model::Repository& repo : repos) {
    RepositoryFindings checked{repo.location, common::Status::Ok(), {}};
    if (const auto refused = FeedbackRefusal(feedback, repo.id)) {
      checked.findings.push_back(*refused);
    }
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commits, store->history().CountCommits(repo.id));
    if (commits == 0) {
      checked.status = common::Status::FailedPrecondition(
          "no history stored yet: run `leadline sync --repo " + repo.location + "`");
      out.push_back(std::move(checked));
      continue;
    }
    ReportOptions options = request;
    ApplySettings(request.settings.For(repo.location), options);
    options.snapshot_cache_dir = request.paths.snapshots_dir;
    if (auto analysis = AnalyzeStored(*store, repo, options); analysis.ok()) {
      const std::vector<engine::Finding> quality = engine::CheckDataQuality(analysis->facts);
      checked.findings.insert(checked.findings.end(), quality.begin(), quality.end());
    } else {
      checked.status = analysis.status();
    }
    out.push_back(std::move(checked));
  }
  return out;
}

}  // namespace leadline::app
