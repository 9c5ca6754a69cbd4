#include "app/doctor.h"

#include "app/repositories.h"
#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

common::Result<std::vector<RepositoryFindings>> RunDoctor(const DoctorRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(request.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            SelectedRepositories(*store, request.pattern));
  std::vector<RepositoryFindings> out;
  for (const model::Repository& repo : repos) {
    RepositoryFindings checked{repo.location, common::Status::Ok(), {}};
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t commits, store->CountCommits(repo.id));
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
      checked.findings = engine::CheckDataQuality(analysis->facts);
    } else {
      checked.status = analysis.status();
    }
    out.push_back(std::move(checked));
  }
  return out;
}

}  // namespace leadline::app
