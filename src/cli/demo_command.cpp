#include "cli/demo_command.h"

#include <filesystem>
#include <memory>

#include "app/demo.h"
#include "cli/errors.h"
#include "cli/serve_command.h"

namespace leadline::cli {
namespace {

struct DemoFlags {
  std::string dir = ".demo";
  std::string listen = "127.0.0.1:8080";
  std::string double_program;
  int repositories = 20;
  int days = 365;
};

// The double is built with the tests: beside this program (an installed copy), or in the build
// tree's tests/ folder (build/<dir>/src/cli/leadline -> build/<dir>/tests/).
std::string FindDoubleProgram() {
  std::error_code error;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "";
  const std::filesystem::path folder = program.parent_path();
  for (const std::filesystem::path& candidate :
       {folder / "leadline-bitbucket-double",
        folder.parent_path().parent_path() / "tests" / "leadline-bitbucket-double"}) {
    if (std::filesystem::is_regular_file(candidate, error)) return candidate.string();
  }
  return "";
}

int RunDemo(const DemoFlags& flags) {
  auto listen = ParseListen(flags.listen);
  if (!listen.ok()) return ReportError(listen.status());
  if (flags.repositories < 2 || flags.days < 7) {
    return ReportError(common::Status::InvalidArgument(
        "--repositories: at least 2 (two projects); --days: at least 7"));
  }
  app::DemoRequest request;
  request.dir = flags.dir;
  request.repositories = flags.repositories;
  request.days = flags.days;
  request.double_program =
      flags.double_program.empty() ? FindDoubleProgram() : flags.double_program;
  if (request.double_program.empty()) {
    return ReportError(common::Status::NotFound(
        "the Bitbucket double (leadline-bitbucket-double) is not built: build with "
        "-DLEADLINE_BUILD_TESTS=ON, or give --double"));
  }
  auto demo = app::Demo::Prepare(request);
  if (!demo.ok()) return ReportError(demo.status().WithContext("preparing the demo"));

  app::ServeRequest serve;
  serve.paths = demo->paths();
  serve.reconcile_every = 0;  // the double's history does not move
  serve.server.host = listen->first;
  serve.server.port = listen->second;
  serve.web_root = FindWebRoot("");
  std::string projects;
  for (const std::string& project : demo->projects()) {
    projects += (projects.empty() ? "" : ", ") + project;
  }
  return ServeUntilStopped(serve, "Sign in with this read-only token: " + demo->reader_token() +
                                      "\nProjects: " + projects + "\nStop with Ctrl-C.\n");
}

}  // namespace

std::function<int()> AddDemoCommand(CLI::App& app) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Run Leadline end to end offline: a generated Bitbucket organisation (a local double), "
      "connected, backfilled and served with the dashboard until Ctrl-C");
  cmd->add_option("--dir", flags->dir, "Where the demo's store goes (replaced on each run)")
      ->capture_default_str();
  cmd->add_option("--listen", flags->listen, "HOST:PORT to serve on (port 0: any free one)")
      ->capture_default_str();
  cmd->add_option("--repositories", flags->repositories, "Repositories of the organisation")
      ->capture_default_str();
  cmd->add_option("--days", flags->days, "Days of history")->capture_default_str();
  cmd->add_option("--double", flags->double_program,
                  "The leadline-bitbucket-double program (default: found beside leadline or in "
                  "its build tree)");
  return [cmd, flags]() { return cmd->parsed() ? RunDemo(*flags) : -1; };
}

}  // namespace leadline::cli
