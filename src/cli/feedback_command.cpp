#include "cli/feedback_command.h"

#include <cstdio>
#include <memory>

#include "app/feedback_preview.h"
#include "cli/errors.h"
#include "cli/feedback_settings_command.h"
#include "cli/store_options.h"

namespace leadline::cli {
namespace {

struct FeedbackFlags {
  StoreOptions store;
  std::string config;
  std::string repo;
  std::int64_t number = 0;
  std::string dashboard_url;
  bool fields = false;
};

std::string FieldValue(const engine::FeedbackField& field) {
  switch (field.type) {
    case engine::FeedbackField::Type::kText:
      return field.text;
    case engine::FeedbackField::Type::kDuration:
      return common::FormatHumanDuration(field.number);
    case engine::FeedbackField::Type::kNumber:
      return std::to_string(field.number);
  }
  return "";
}

int RunPreview(const FeedbackFlags& flags) {
  app::FeedbackPreviewRequest request;
  request.paths = flags.store.paths;
  auto settings = config::LoadSettings(flags.config, flags.store.paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  request.settings = std::move(*settings);
  request.location = flags.repo;
  request.number = flags.number;
  request.dashboard_url = flags.dashboard_url;
  while (request.dashboard_url.ends_with("/")) request.dashboard_url.pop_back();
  request.now = common::NowUnixSeconds();
  auto feedback = app::PreviewFeedback(request);
  if (!feedback.ok()) return ReportError(feedback.status());
  std::fwrite(feedback->markdown.data(), 1, feedback->markdown.size(), stdout);
  if (flags.fields) {
    std::printf("\nCode Insights fields:\n");
    for (const engine::FeedbackField& field : feedback->fields) {
      std::printf("  %-14s %s\n", field.title.c_str(), FieldValue(field).c_str());
    }
  }
  return 0;
}

}  // namespace

std::function<int()> AddFeedbackCommand(CLI::App& app) {
  auto flags = std::make_shared<FeedbackFlags>();
  CLI::App* feedback =
      app.add_subcommand("feedback", "Delivery figures on pull requests, where reviewers look");
  feedback->require_subcommand(1);
  CLI::App* preview = feedback->add_subcommand(
      "preview", "Print what would be posted on a pull request now (posts nothing)");
  preview->add_option("repo", flags->repo, "The repository, e.g. acme/api")->required();
  preview->add_option("number", flags->number, "The pull request's number")
      ->required()
      ->check(CLI::PositiveNumber);
  preview->add_option("--dashboard-url", flags->dashboard_url,
                      "The dashboard's public address, for the comment's link");
  preview->add_flag("--fields", flags->fields, "Also print the Code Insights data fields");
  AddStoreOptions(preview, &flags->store);
  preview->add_option("--config", flags->config,
                      "Settings file (default: leadline.toml beside the store, when it exists)");
  std::function<int()> settings = AddFeedbackSettingsCommands(feedback);
  return
      [preview, flags, settings]() { return preview->parsed() ? RunPreview(*flags) : settings(); };
}

}  // namespace leadline::cli
