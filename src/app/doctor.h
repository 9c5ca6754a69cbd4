// The composition root of `leadline doctor`: runs the data-quality checks
// (engine/data_quality.h) over every selected, synced repository, from the store alone.
// Single-threaded; owns what it opens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/repository_report.h"
#include "config/paths.h"
#include "engine/data_quality.h"
#include "engine/incident_selection.h"
#include "store/tables/feedback_outbox.h"

namespace leadline::app {

struct DoctorRequest : ReportOptions {
  config::Paths paths;
  std::string pattern;        // fnmatch over locations; empty: every selected repository
  config::Settings settings;  // each repository's settings apply over the options
};

struct RepositoryFindings {
  std::string location;
  common::Status status;  // why the repository could not be checked, if it could not
  std::vector<engine::Finding> findings;
};

// Why the repository's feedback on pull requests is off, when its code host refused a post
// (store/feedback_outbox.h); a warning "feedback_refused" naming what to fix.
std::optional<engine::Finding> FeedbackRefusal(
    const std::vector<store::FeedbackRepository>& feedback, std::int64_t repo_id);

// The PagerDuty services whose change events (`leadline services send-changes`,
// store/change_event_outbox.h) failed for good: a warning "change_events_failed" each, with the
// newest error and what to do. Empty where none failed or nothing sends.
common::Result<std::vector<engine::Finding>> FailedChangeEvents(
    const config::Paths& paths, const engine::ConfiguredServices& configured);

// Also lists, for a repository whose feedback was turned off by a refusal, why (above).
// Fails when no selected repository matches.
common::Result<std::vector<RepositoryFindings>> RunDoctor(const DoctorRequest& request);

}  // namespace leadline::app
