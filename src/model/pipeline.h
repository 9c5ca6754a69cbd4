// CI pipelines, and the deployments and environments a code host records itself (Bitbucket
// Pipelines deployments), as the host reports them. Plain values with no I/O: safe to copy
// between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"
#include "model/provider.h"

namespace leadline::model {

// kPaused: in progress, but stopped at a step that waits for a person (a manual deployment step),
// which may never come: Bitbucket Cloud's IN_PROGRESS with a PAUSED or HALTED stage.
enum class PipelineState { kPending, kInProgress, kPaused, kCompleted };
inline constexpr PipelineState kPipelineStates[] = {
    PipelineState::kPending, PipelineState::kInProgress, PipelineState::kPaused,
    PipelineState::kCompleted};

inline const char* PipelineStateName(PipelineState state) {
  switch (state) {
    case PipelineState::kPending:
      return "PENDING";
    case PipelineState::kInProgress:
      return "IN_PROGRESS";
    case PipelineState::kPaused:
      return "PAUSED";
    case PipelineState::kCompleted:
      return "COMPLETED";
  }
  return "PENDING";
}

enum class PipelineResult { kSuccessful, kFailed, kError, kStopped, kExpired };
inline constexpr PipelineResult kPipelineResults[] = {
    PipelineResult::kSuccessful, PipelineResult::kFailed, PipelineResult::kError,
    PipelineResult::kStopped, PipelineResult::kExpired};

inline const char* PipelineResultName(PipelineResult result) {
  switch (result) {
    case PipelineResult::kSuccessful:
      return "SUCCESSFUL";
    case PipelineResult::kFailed:
      return "FAILED";
    case PipelineResult::kError:
      return "ERROR";
    case PipelineResult::kStopped:
      return "STOPPED";
    case PipelineResult::kExpired:
      return "EXPIRED";
  }
  return "FAILED";
}

struct Pipeline {
  std::string uuid;  // with its braces, as given
  std::optional<std::int64_t> build_number;
  std::string ref_name;  // branch or tag; empty when the pipeline ran on a bare commit
  // What ref_name is, as the host names it (Bitbucket Cloud: "branch", "named_branch",
  // "bookmark" or "tag"); empty when the host does not say.
  std::string ref_type;
  std::string commit_sha;
  PipelineState state = PipelineState::kPending;
  std::optional<PipelineResult> result;  // only when kCompleted, and when the host says
  common::UnixSeconds created_at = 0;
  std::optional<common::UnixSeconds> completed_at;
  std::optional<common::Seconds> duration_s;
};

enum class EnvironmentType { kTest, kStaging, kProduction };
inline constexpr EnvironmentType kEnvironmentTypes[] = {
    EnvironmentType::kTest, EnvironmentType::kStaging, EnvironmentType::kProduction};

// Bitbucket Cloud's environment_type names.
inline const char* EnvironmentTypeName(EnvironmentType type) {
  switch (type) {
    case EnvironmentType::kTest:
      return "Test";
    case EnvironmentType::kStaging:
      return "Staging";
    case EnvironmentType::kProduction:
      return "Production";
  }
  return "Test";
}

struct Environment {
  std::string uuid;
  std::string name;
  EnvironmentType type = EnvironmentType::kTest;
};

// A deployment's state name. Bitbucket Cloud documents UNDEPLOYED, IN_PROGRESS and COMPLETED
// (with the outcome nested as a PlatformDeploymentStatus); Data Center's deployment API uses
// PENDING, IN_PROGRESS, SUCCESSFUL, FAILED, CANCELLED, ROLLED_BACK and UNKNOWN. Recorded payloads
// mix the two vocabularies and also name Cloud's outcome STOPPED as a state, so any of them may
// appear here.
enum class PlatformDeploymentState {
  kPending,
  kInProgress,
  kCompleted,
  kUndeployed,
  kSuccessful,
  kFailed,
  kStopped,
  kCancelled,
  kRolledBack,
  kUnknown,
};
inline constexpr PlatformDeploymentState kPlatformDeploymentStates[] = {
    PlatformDeploymentState::kPending,    PlatformDeploymentState::kInProgress,
    PlatformDeploymentState::kCompleted,  PlatformDeploymentState::kUndeployed,
    PlatformDeploymentState::kSuccessful, PlatformDeploymentState::kFailed,
    PlatformDeploymentState::kStopped,    PlatformDeploymentState::kCancelled,
    PlatformDeploymentState::kRolledBack, PlatformDeploymentState::kUnknown};

inline const char* PlatformDeploymentStateName(PlatformDeploymentState state) {
  switch (state) {
    case PlatformDeploymentState::kPending:
      return "PENDING";
    case PlatformDeploymentState::kInProgress:
      return "IN_PROGRESS";
    case PlatformDeploymentState::kCompleted:
      return "COMPLETED";
    case PlatformDeploymentState::kUndeployed:
      return "UNDEPLOYED";
    case PlatformDeploymentState::kSuccessful:
      return "SUCCESSFUL";
    case PlatformDeploymentState::kFailed:
      return "FAILED";
    case PlatformDeploymentState::kStopped:
      return "STOPPED";
    case PlatformDeploymentState::kCancelled:
      return "CANCELLED";
    case PlatformDeploymentState::kRolledBack:
      return "ROLLED_BACK";
    case PlatformDeploymentState::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

// The outcome Bitbucket Cloud nests in a COMPLETED state.
enum class PlatformDeploymentStatus { kSuccessful, kFailed, kStopped };
inline constexpr PlatformDeploymentStatus kPlatformDeploymentStatuses[] = {
    PlatformDeploymentStatus::kSuccessful, PlatformDeploymentStatus::kFailed,
    PlatformDeploymentStatus::kStopped};

inline const char* PlatformDeploymentStatusName(PlatformDeploymentStatus status) {
  switch (status) {
    case PlatformDeploymentStatus::kSuccessful:
      return "SUCCESSFUL";
    case PlatformDeploymentStatus::kFailed:
      return "FAILED";
    case PlatformDeploymentStatus::kStopped:
      return "STOPPED";
  }
  return "FAILED";
}

struct PlatformDeployment {
  // Who recorded it: the code host, or CI through Leadline's API (kPush). With `uuid`, the
  // provider's own id of it, this is the record's key.
  Provider provider = Provider::kBitbucketCloud;
  std::string uuid;
  // Cloud lists a deployment's environment as its uuid only, unless asked for more by `fields`,
  // and then may leave the uuid out: at least one of uuid and name is set.
  std::optional<std::string> environment_uuid;
  std::optional<std::string> environment_name;
  std::optional<EnvironmentType> environment_type;
  PlatformDeploymentState state = PlatformDeploymentState::kUnknown;
  std::optional<PlatformDeploymentStatus> status;
  std::string commit_sha;  // the release's commit
  std::optional<common::UnixSeconds> started_at;
  std::optional<common::UnixSeconds> completed_at;
  std::string release_name;  // e.g. "#186", the pipeline's build number
  // The branch deployed, where the record names one (GitLab's `ref`, a pushed `branch`), or where
  // the pipeline that deployed ran on one (Bitbucket Cloud).
  std::optional<std::string> branch;
  // The pipeline that deployed it, where the host names it (Bitbucket Cloud's
  // `release.pipeline`): read from the listing, not stored.
  std::optional<std::string> pipeline_uuid;
};

}  // namespace leadline::model
