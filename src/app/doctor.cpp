#include "app/doctor.h"

#include <fnmatch.h>

#include "app/stored_report.h"
#include "store/store.h"

namespace leadline::app {

common::Result<std::vector<RepositoryFindings>> RunDoctor(const DoctorRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(request.db_path));
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos,
                            store->LoadConnectedRepositories());
  std::erase_if(repos, [&](const model::Repository& repo) {
    return !repo.selected || (!request.pattern.empty() &&
                              fnmatch(request.pattern.c_str(), repo.location.c_str(), 0) != 0);
  });
  if (repos.empty()) {
    return common::Status::NotFound(
        request.pattern.empty()
            ? "no repository is selected: run `leadline repos select PATTERN`, then `leadline sync`"
            : "no selected repository matches '" + request.pattern + "'");
  }
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
