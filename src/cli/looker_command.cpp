#include "cli/looker_command.h"

#include <cstdio>
#include <memory>

#include "app/connections.h"
#include "app/looker.h"
#include "app/sealed_secrets.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/time.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "store/store.h"

namespace leadline::cli {
namespace {

using common::Status;

struct LookerFlags {
  StoreOptions store;
  std::string url, client_id, client_secret_file;
  app::LookerTarget target;
};

// Looker calls a person waits on: a few short retries on 429, 5xx and lost connections.
struct LookerHttp {
  http::CurlHttpClient curl;
  http::RetryingHttpClient client{curl, http::InteractiveRetryPolicy(), 0};
};

Status Connect(const LookerFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(std::string secret, app::ReadSecretFile(flags.client_secret_file));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(flags.store.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const auth::SecretBox box,
                            app::OpenCheckedKey(*store, flags.store.paths));
  LookerHttp http;
  LEADLINE_RETURN_IF_ERROR(app::ConnectLooker(
      *store, box, http.client,
      {flags.url, flags.client_id, std::move(secret), common::NowUnixSeconds()}));
  LEADLINE_ASSIGN_OR_RETURN(const store::LookerConnection connection,
                            app::StoredLookerConnection(*store));
  std::printf(
      "Connected to Looker at %s as API client %s (logged in and out; the secret is "
      "sealed in the store).\n",
      connection.url.c_str(), connection.client_id.c_str());
  return Status::Ok();
}

Status ShowStatus(const LookerFlags& flags) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(flags.store.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const store::LookerConnection connection,
                            app::StoredLookerConnection(*store));
  std::printf("Looker:       %s\nAPI client:   %s\nConnected:    %s\nLast trigger: %s\n",
              connection.url.c_str(), connection.client_id.c_str(),
              common::FormatRfc3339(connection.connected_at).c_str(),
              connection.last_trigger_at ? (common::FormatRfc3339(*connection.last_trigger_at) +
                                            " " + connection.last_trigger_outcome)
                                               .c_str()
                                         : "none yet");
  return Status::Ok();
}

Status Refresh(const LookerFlags& flags) {
  LEADLINE_RETURN_IF_ERROR(app::CheckLookerTarget(flags.target));
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                            store::OpenStore(flags.store.paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const auth::SecretBox box,
                            app::OpenCheckedKey(*store, flags.store.paths));
  LookerHttp http;
  LEADLINE_ASSIGN_OR_RETURN(
      const sources::looker::TriggerOutcome outcome,
      app::TriggerLooker(*store, box, http.client, flags.target, common::NowUnixSeconds()));
  std::printf("Triggered Looker datagroup %s::%s at %s.\n", outcome.datagroup.model_name.c_str(),
              outcome.datagroup.name.c_str(), common::FormatRfc3339(outcome.triggered_at).c_str());
  return Status::Ok();
}

}  // namespace

std::function<int()> AddLookerCommands(CLI::App& app) {
  CLI::App* looker =
      app.add_subcommand("looker",
                         "The Looker instance whose datagroup Leadline triggers when the analytics "
                         "tables change (docs/bi.md)");
  looker->require_subcommand(1);
  auto connect_flags = std::make_shared<LookerFlags>();
  CLI::App* connect = looker->add_subcommand(
      "connect",
      "Check a Looker API key by logging in and out, and keep it (the secret sealed in the store)");
  AddStoreOptions(connect, &connect_flags->store);
  connect
      ->add_option("--url", connect_flags->url,
                   "The Looker API host, e.g. https://acme.cloud.looker.com (no /api/4.0)")
      ->required();
  connect->add_option("--client-id", connect_flags->client_id, "The API key's client id")
      ->required();
  connect
      ->add_option("--client-secret-file", connect_flags->client_secret_file,
                   "A file whose first line is the API key's client secret")
      ->required();
  auto status_flags = std::make_shared<LookerFlags>();
  CLI::App* status =
      looker->add_subcommand("status", "The connected Looker and the last trigger's outcome");
  AddStoreOptions(status, &status_flags->store);
  auto refresh_flags = std::make_shared<LookerFlags>();
  CLI::App* refresh = looker->add_subcommand(
      "refresh", "Trigger a Looker datagroup now (log in, PATCH the datagroup, log out)");
  AddStoreOptions(refresh, &refresh_flags->store);
  refresh->add_option("--datagroup", refresh_flags->target.datagroup, "The datagroup's name")
      ->required();
  refresh->add_option("--model", refresh_flags->target.model,
                      "Its LookML model, when several models have a datagroup of that name");
  return [=]() {
    Status result;
    if (connect->parsed()) {
      result = Connect(*connect_flags);
    } else if (status->parsed()) {
      result = ShowStatus(*status_flags);
    } else if (refresh->parsed()) {
      result = Refresh(*refresh_flags);
    } else {
      return -1;
    }
    return result.ok() ? 0 : ReportError(result);
  };
}

}  // namespace leadline::cli
