#include "app/pushed_deployments.h"

#include "common/file.h"

namespace leadline::app {

using common::Result;
using common::Status;

Result<ingest::DeploymentImport> ImportDeployments(const config::Paths& paths,
                                                   const std::string& path) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, common::ReadTextFile(path, "deployments file"));
  auto deployments = sources::ParseDeployments(text, sources::kNoItemLimit);
  if (!deployments.ok()) {
    return Status::InvalidArgument("deployments file '" + path +
                                   "' has mistakes; nothing was imported:\n" +
                                   deployments.status().message());
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  auto stored = ingest::StorePushedDeployments(*store, *deployments, ingest::WriteScope{});
  if (stored.status().code() == common::StatusCode::kNotFound) {
    return Status::NotFound("deployments file '" + path + "': " + stored.status().message() +
                            "; nothing was stored (`leadline repos list` shows the connected "
                            "repositories)");
  }
  if (!stored.ok()) return stored.status().WithContext("deployments file '" + path + "'");
  return stored;
}

}  // namespace leadline::app
