#include "git/git_mirror.h"

#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <utility>
#include <vector>

#include "git/libgit2_support.h"

namespace leadline::git {
namespace {

struct TransferContext {
  const MirrorFetch* fetch = nullptr;
  std::uint64_t received_bytes = 0;
};

int OnTransfer(const git_indexer_progress* stats, void* payload) {
  auto* context = static_cast<TransferContext*>(payload);
  context->received_bytes = stats->received_bytes;
  if (context->fetch->on_progress) {
    context->fetch->on_progress(stats->received_objects, stats->total_objects);
  }
  return 0;
}

std::string OidHex(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), oid);
  return hex;
}

common::Status FetchError(const MirrorFetch& fetch, int code) {
  const std::string message = LastLibgit2Error();
  const std::string what = "git fetch of " + fetch.url + ": ";
  if (code == GIT_EAUTH || message.find("401") != std::string::npos ||
      message.find("authentication") != std::string::npos) {
    return common::Status::Unauthenticated(
        what + "the credentials were refused for git over HTTPS (" + message +
        "); check that the token may read repositories, then run `leadline check`");
  }
  if (message.find("cannot redirect") != std::string::npos) {
    return common::Status::FailedPrecondition(
        what + message +
        " (credentials are not sent to another host; if the repository moved, "
        "run `leadline repos list` to refresh its clone URL)");
  }
  if (message.find("404") != std::string::npos) {
    return common::Status::NotFound(what + "no such repository (" + message + ")");
  }
  if (code == GIT_ECERTIFICATE) {
    return common::Status::Unavailable(what + "the server's TLS certificate is not trusted (" +
                                       message + ")");
  }
  return common::Status::Unavailable(what + message);
}

// Whether `name` matches `pattern`, a ref name with one '*' standing for any text.
bool MatchesRefPattern(std::string_view name, std::string_view pattern) {
  const std::size_t star = pattern.find('*');
  const std::string_view prefix = pattern.substr(0, star);
  const std::string_view suffix = pattern.substr(star + 1);
  return name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) &&
         name.ends_with(suffix);
}

common::Status CheckRefPatterns(const std::vector<std::string>& patterns) {
  for (const std::string& pattern : patterns) {
    const std::size_t star = pattern.find('*');
    if (!pattern.starts_with("refs/") || star == std::string::npos ||
        pattern.find('*', star + 1) != std::string::npos ||
        pattern.find_first_of(" :^~?[\\") != std::string::npos) {
      return common::Status::InvalidArgument(
          "cannot mirror the refs '" + pattern +
          "': a pattern is a ref name under refs/ with one '*' (refs/pull-requests/*/from)");
    }
  }
  return common::Status::Ok();
}

// The remote's branches, tags and extra refs as one packed-refs file, written whole and then
// renamed into place: one file however many branches there are (libgit2 would write a file per
// ref), and refs that went away upstream go here too.
common::Status WritePackedRefs(const std::string& git_dir,
                               const std::vector<std::pair<std::string, std::string>>& refs) {
  const std::filesystem::path target = std::filesystem::path(git_dir) / "packed-refs";
  const std::filesystem::path lock = target.string() + ".lock";
  {
    std::ofstream out(lock, std::ios::binary | std::ios::trunc);
    out << "# pack-refs with: sorted \n";
    for (const auto& [name, sha] : refs) out << sha << ' ' << name << '\n';
    out.flush();
    if (!out) return common::Status::IoError("cannot write " + lock.string());
  }
  std::error_code ec;
  std::filesystem::rename(lock, target, ec);
  if (ec) return common::Status::IoError("cannot replace " + target.string() + ": " + ec.message());
  return common::Status::Ok();
}

// What a process killed while it wrote the mirror left behind. Only one fetch of a mirror runs at
// a time (the caller holds the repository's lock), so any lock file in it is such a leftover: it
// is removed, or every later fetch would fail to take the lock. A mirror without HEAD was being
// created: it holds nothing a fetch would not bring again, and is made anew.
common::Status ClearWhatAKilledWriterLeft(const std::string& git_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(git_dir, ec)) return common::Status::Ok();
  if (!fs::exists(fs::path(git_dir) / "HEAD", ec)) {
    fs::remove_all(git_dir, ec);
    if (ec)
      return common::Status::IoError("cannot remove the half-made mirror '" + git_dir +
                                     "': " + ec.message());
    return common::Status::Ok();
  }
  for (const char* lock : {"config.lock", "HEAD.lock", "packed-refs.lock", "index.lock"}) {
    fs::remove(fs::path(git_dir) / lock, ec);
    if (ec)
      return common::Status::IoError("cannot remove the stale lock '" + git_dir + "/" + lock +
                                     "': " + ec.message());
  }
  return common::Status::Ok();
}

}  // namespace

common::Result<MirrorFetchResult> FetchMirror(const MirrorFetch& fetch) {
  LEADLINE_RETURN_IF_ERROR(CheckRefPatterns(fetch.extra_refs));
  EnsureLibgit2();
  LEADLINE_RETURN_IF_ERROR(ClearWhatAKilledWriterLeft(fetch.path));
  MirrorFetchResult result;
  git_repository* repo = nullptr;
  if (git_repository_open_bare(&repo, fetch.path.c_str()) != 0) {
    std::error_code ec;
    std::filesystem::create_directories(fetch.path, ec);
    if (ec || git_repository_init(&repo, fetch.path.c_str(), /*is_bare=*/1) != 0) {
      return common::Status::IoError("cannot create the mirror '" + fetch.path +
                                     "': " + (ec ? ec.message() : LastLibgit2Error()));
    }
    result.created = true;
  }
  git_remote* remote = nullptr;
  if (git_remote_create_anonymous(&remote, repo, fetch.url.c_str()) != 0) {
    const std::string message = LastLibgit2Error();
    git_repository_free(repo);
    return common::Status::InvalidArgument("cannot fetch from '" + fetch.url + "': " + message);
  }

  TransferContext context{&fetch, 0};
  // The init function rather than GIT_FETCH_OPTIONS_INIT, whose partial initialiser clang's
  // -Wmissing-field-initializers rejects.
  git_fetch_options options;
  git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION);
  options.callbacks.transfer_progress = OnTransfer;
  options.callbacks.payload = &context;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // the refspecs name tags already
  // The Authorization header goes with every request libgit2 makes, to whatever host: never
  // follow a redirect to another host. (A moved repository is listed anew by `repos list`.)
  options.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
  const std::string header = "Authorization: " + fetch.authorization;
  char* headers[] = {const_cast<char*>(header.c_str())};
  if (!fetch.authorization.empty()) options.custom_headers = {headers, 1};
  std::vector<std::string> refspec_texts = {"+refs/heads/*:refs/heads/*",
                                            "+refs/tags/*:refs/tags/*"};
  for (const std::string& pattern : fetch.extra_refs) {
    refspec_texts.push_back("+" + pattern + ":" + pattern);
  }
  std::vector<char*> refspecs;
  for (std::string& text : refspec_texts) refspecs.push_back(text.data());
  const git_strarray specs = {refspecs.data(), refspecs.size()};
  // Objects first (negotiated against the refs the mirror has), then the refs, in one file.
  const int code = git_remote_download(remote, &specs, &options);
  common::Status status = code == 0 ? common::Status::Ok() : FetchError(fetch, code);
  std::vector<std::pair<std::string, std::string>> refs;
  const git_remote_head** advertised = nullptr;
  std::size_t count = 0;
  if (status.ok() && git_remote_ls(&advertised, &count, remote) == 0) {
    for (std::size_t i = 0; i < count; ++i) {
      const std::string_view name = advertised[i]->name;
      if (name.ends_with("^{}")) continue;  // an annotated tag's peeled target, not a ref
      if (name.starts_with("refs/heads/") || name.starts_with("refs/tags/")) {
        refs.emplace_back(std::string(name), OidHex(&advertised[i]->oid));
        ++result.refs;
      } else if (std::any_of(fetch.extra_refs.begin(), fetch.extra_refs.end(),
                             [&](const std::string& p) { return MatchesRefPattern(name, p); })) {
        refs.emplace_back(std::string(name), OidHex(&advertised[i]->oid));
        ++result.extra_refs;
      }
    }
    std::sort(refs.begin(), refs.end());
    status = WritePackedRefs(git_repository_path(repo), refs);
  }
  git_remote_disconnect(remote);
  git_remote_free(remote);
  git_repository_free(repo);
  if (!status.ok()) return status;
  result.received_bytes = context.received_bytes;
  return result;
}

}  // namespace leadline::git
