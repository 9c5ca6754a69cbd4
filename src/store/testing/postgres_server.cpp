#include "store/testing/postgres_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>

namespace leadline::store::testing {
namespace {

std::string FindBinDir() {
  if (const char* dir = std::getenv("LEADLINE_PG_BIN"); dir != nullptr && *dir != '\0') return dir;
  for (const char* version : {"17", "16", "15", "14", "13"}) {
    const std::string dir = std::string("/usr/lib/postgresql/") + version + "/bin";
    if (std::filesystem::exists(dir + "/initdb") && std::filesystem::exists(dir + "/pg_ctl")) {
      return dir;
    }
  }
  return "";
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::mutex shared_mutex;
std::unique_ptr<PostgresServer>* shared_server = nullptr;
std::string shared_failure;

}  // namespace

PostgresServer* PostgresServer::Shared(std::string* why) {
  std::lock_guard<std::mutex> lock(shared_mutex);
  if (shared_server == nullptr) {
    static std::unique_ptr<PostgresServer> server;  // stopped at exit
    server.reset(new PostgresServer());
    if (!server->Init(&shared_failure)) server.reset();
    shared_server = &server;
  }
  if (*shared_server == nullptr && why != nullptr) *why = shared_failure;
  return shared_server->get();
}

int PostgresServer::RunAsOwner(const std::string& command) const {
  const pid_t pid = fork();
  if (pid == 0) {
    if (as_postgres_user_) {
      const passwd* user = getpwnam("postgres");
      if (user == nullptr || setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0) _exit(126);
    }
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool PostgresServer::Init(std::string* why) {
  bin_dir_ = FindBinDir();
  if (bin_dir_.empty()) {
    *why =
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
        "scripts/install-deps.sh installs postgresql-15";
    return false;
  }
  char pattern[] = "/tmp/leadline-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    *why = "cannot make a temporary directory for PostgreSQL";
    return false;
  }
  dir_ = pattern;
  if (geteuid() == 0) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr || chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      *why = "running as root, the tests start PostgreSQL as the 'postgres' user, which is missing";
      return false;
    }
    as_postgres_user_ = true;
  }
  // initdb takes seconds and every test process starts a server of its own: the first process
  // makes a template cluster (in a folder of its own, then renamed into place, so that processes
  // starting together never see half of one), and every server starts from a copy of it.
  const std::string owner = as_postgres_user_ ? "postgres" : std::to_string(geteuid());
  const std::string cluster_template =
      "/tmp/leadline-pg-template-v1-" +
      std::filesystem::path(bin_dir_).parent_path().filename().string() + "-" + owner;
  if (!std::filesystem::exists(cluster_template + "/data/PG_VERSION")) {
    char making[] = "/tmp/leadline-pg-making-XXXXXX";
    if (mkdtemp(making) == nullptr) {
      *why = "cannot make a temporary directory for PostgreSQL";
      return false;
    }
    if (as_postgres_user_) {
      const passwd* user = getpwnam("postgres");
      if (user == nullptr || chown(making, user->pw_uid, user->pw_gid) != 0) {
        *why = "cannot give a temporary directory to the 'postgres' user";
        return false;
      }
    }
    const std::string log = dir_ + "/init.log";
    if (RunAsOwner(bin_dir_ + "/initdb -D " + std::string(making) + "/data -U leadline " +
                   "--auth=trust -E UTF8 --locale=C -N >" + log + " 2>&1") != 0) {
      *why = "initdb failed; see " + log;
      return false;
    }
    if (rename(making, cluster_template.c_str()) != 0) {  // another process was first
      std::error_code ignored;
      std::filesystem::remove_all(making, ignored);
    }
  }
  if (RunAsOwner("cp -a " + cluster_template + "/data " + dir_ + "/data") != 0) {
    *why = "cannot copy the template cluster " + cluster_template;
    return false;
  }
  port_ = FreePort();
  if (!Start()) {
    *why = "PostgreSQL did not start; see " + dir_ + "/server.log";
    return false;
  }
  return true;
}

bool PostgresServer::Start() {
  // Durability is the server's business, not these tests': fsync off keeps them quick.
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                              " -c listen_addresses=127.0.0.1 -c fsync=off "
                              "-c synchronous_commit=off -c full_page_writes=off "
                              "-c max_connections=300";
  return RunAsOwner(bin_dir_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ +
                    "/server.log -w -t 60 -o '" + options + "' start >/dev/null 2>&1") == 0;
}

bool PostgresServer::Stop() {
  return RunAsOwner(bin_dir_ + "/pg_ctl -D " + dir_ + "/data -m fast -w stop >/dev/null 2>&1") == 0;
}

PostgresServer::~PostgresServer() {
  if (dir_.empty()) return;
  if (port_ != 0) {
    RunAsOwner(bin_dir_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop >/dev/null 2>&1");
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool PostgresServer::Run(const std::string& sql, const std::string& database) {
  const std::string conninfo =
      "host=127.0.0.1 port=" + std::to_string(port_) + " user=leadline dbname=" + database;
  PGconn* conn = PQconnectdb(conninfo.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PGresult* result = PQexec(conn, sql.c_str());
    ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
  }
  PQfinish(conn);
  return ok;
}

std::string PostgresServer::CreateDatabase() {
  const std::string name =
      "test_" + std::to_string(getpid()) + "_" + std::to_string(++next_database_);
  if (!Run("CREATE DATABASE " + name)) return "";
  return "postgres://leadline@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

PostgresServer* PostgresForTest() {
  std::string why;
  PostgresServer* server = PostgresServer::Shared(&why);
  if (server == nullptr) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
      ADD_FAILURE() << why << " (CI must run the PostgreSQL tests)";
    } else {
      std::fprintf(stderr, "skipping a PostgreSQL test: %s\n", why.c_str());
    }
  }
  return server;
}

}  // namespace leadline::store::testing
