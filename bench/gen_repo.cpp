// gen_repo: writes a synthetic git history as a `git fast-import` stream on stdout, for Leadline's
// benchmarks (a large history) and for demo repositories (a small one). Leadline treats release
// tags as deployments, so the history has the shapes its metrics care about: feature branches,
// squash merges, reverts, hotfixes right after releases and maintenance releases.
//
//   git init -q -b main repo
//   gen_repo --commits 80000 --tags 400 --end-time 1767225600 | git -C repo fast-import --done
//
// Shape (every random choice comes from --seed; the output is byte-for-byte reproducible when
// --end-time is given):
//   * The first-parent chain of refs/heads/main has exactly --commits commits, with committer
//     times rising from end-time minus --days to end-time. Each step is a direct commit, a
//     feature/<n> branch of 1-5 commits merged with "Merge branch 'feature/<n>'" (~30%), a squash
//     commit "Merged in feature/<n> (pull request #<n>)" (~10%) or a revert of one of the last
//     ~50 main-line commits, `Revert "<subject>"` (~1%). Subjects are unique.
//   * --tags annotated tags v<major>.<minor>.0 spread evenly along main, with jitter.
//   * hotfix/<n> branches of 1-2 commits (~0.5% of steps, none in the first 5%) right after a
//     release: written after its tag and merged within 20 hours of the tagged commit.
//   * About 1 tag in 20 (at least one from 10 tags) gets a maintenance branch
//     release/<major>.<minor> with 1-3 commits and a tag v<major>.<minor>.1 on its tip.
//   * One criss-cross merge in the middle (from 200 commits) and two unmerged feature branches.
//   * With --maintenance-lines L (L > 0), instead of the short maintenance branches above, every
//     release v<major>.<minor>.0 opens a long-lived line release/<major>.<minor>, kept for the
//     next L releases: at each later release, each open line gets 1-2 fixes with a chance of 40%,
//     a patch tag v<major>.<minor>.<p> on them, and is merged back into main at the next step
//     ("Merge branch 'release/<major>.<minor>'"), as projects that keep several maintained
//     releases do. So the release tags interleave lines whose forks lie far apart in history.
// Every commit has its own tree: non-merge commits change one or two tiny files, merges bring in
// their branch's changes, so that the big benchmark history imports in well under a minute.

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using UnixSeconds = std::int64_t;
using Mark = std::uint64_t;  // a fast-import mark; 0 means "no commit"

constexpr std::int64_t kHour = 60 * 60;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::string_view kMainRef = "refs/heads/main";

// Limits keep `span * weight` products of PlanMainTimes() within 64 bits.
constexpr std::int64_t kMaxCommits = 10'000'000;
constexpr std::int64_t kMaxDays = 36'500;
constexpr std::int64_t kMaxGapWeight = 100;
constexpr UnixSeconds kMaxEndTime = 253'402'300'799;  // 9999-12-31T23:59:59Z

constexpr std::size_t kRevertWindow = 50;  // a revert targets one of the last 50 main commits

// ---------------------------------------------------------------------------------------------
// Command line

struct Options {
  std::int64_t commits = 2000;
  std::int64_t tags = 40;
  UnixSeconds end_time = 0;
  std::int64_t days = 90;
  std::uint64_t seed = 1;
  std::int64_t maintenance_lines = 0;
};

constexpr std::string_view kUsage =
    "usage: gen_repo [--commits N] [--tags N] [--end-time EPOCH] [--days D] [--seed S]\n"
    "                [--maintenance-lines L]\n";

void PrintHelp() {
  std::cout << kUsage
            << "\nWrites a synthetic git history as a git fast-import stream on stdout.\n\n"
               "  --commits N       commits on the first-parent chain of main (default 2000)\n"
               "  --tags N          release tags vX.Y.0 on main, up to --commits (default 40)\n"
               "  --end-time EPOCH  unix time of the last commit (default: now)\n"
               "  --days D          time span of the history in days (default 90)\n"
               "  --seed S          seed of the pseudo-random choices (default 1)\n"
               "  --maintenance-lines L\n"
               "                    every release opens a maintenance line kept for the next L\n"
               "                    releases, with patch tags, merged back into main (default 0:\n"
               "                    about 1 release in 20 gets one short-lived fix branch)\n\n"
               "The output is reproducible when --end-time is given. Example:\n"
               "  git init -q -b main repo && gen_repo --commits 300 --tags 12 |\n"
               "      git -C repo fast-import --done\n";
}

[[noreturn]] void UsageError(const std::string& message) {
  std::cerr << "gen_repo: " << message << " (see --help)\n";
  std::exit(2);
}

template <typename Int>
Int ParseValue(std::string_view option, std::string_view text, Int min, Int max) {
  Int value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end || value < min || value > max) {
    UsageError("invalid value '" + std::string(text) + "' for " + std::string(option) +
               ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

UnixSeconds Now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  std::optional<UnixSeconds> end_time;
  for (int i = 1; i < argc; ++i) {
    const std::string_view option = argv[i];
    if (option == "--help") {
      PrintHelp();
      std::exit(0);
    }
    const auto value = [&]() -> std::string_view {
      if (i + 1 == argc) UsageError("missing value for " + std::string(option));
      return argv[++i];
    };
    if (option == "--commits") {
      options.commits = ParseValue<std::int64_t>(option, value(), 1, kMaxCommits);
    } else if (option == "--tags") {
      options.tags = ParseValue<std::int64_t>(option, value(), 0, kMaxCommits);
    } else if (option == "--end-time") {
      end_time = ParseValue<UnixSeconds>(option, value(), 0, kMaxEndTime);
    } else if (option == "--days") {
      options.days = ParseValue<std::int64_t>(option, value(), 1, kMaxDays);
    } else if (option == "--seed") {
      options.seed = ParseValue<std::uint64_t>(option, value(), 0, UINT64_MAX);
    } else if (option == "--maintenance-lines") {
      options.maintenance_lines = ParseValue<std::int64_t>(option, value(), 0, 1000);
    } else {
      UsageError("unknown option '" + std::string(option) + "'");
    }
  }
  options.end_time = end_time.value_or(Now());
  if (options.tags > options.commits) UsageError("--tags must not exceed --commits");
  if (options.end_time < options.days * kDay) {
    UsageError("--end-time must be at least --days days after the Unix epoch");
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Randomness

// A seeded generator whose results are identical with every standard library: mt19937_64 is
// fully specified, and the mapping to ranges is our own (uniform_int_distribution is not).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // A uniform integer in [low, high], by rejection so that there is no modulo bias.
  std::int64_t Between(std::int64_t low, std::int64_t high) {
    const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
    const std::uint64_t limit = engine_.max() - engine_.max() % span;
    std::uint64_t draw = engine_();
    while (draw >= limit) draw = engine_();
    return low + static_cast<std::int64_t>(draw % span);
  }

  std::size_t Index(std::size_t size) {
    return static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(size) - 1));
  }

  // True with a probability of `chance` per thousand.
  bool PerMille(std::int64_t chance) { return Between(0, 999) < chance; }

 private:
  std::mt19937_64 engine_;
};

// Up to `count` distinct items of `items`, in random order.
template <typename T>
std::vector<T> PickDistinct(std::size_t count, std::vector<T> items, Random& random) {
  count = std::min(count, items.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::swap(items[i], items[i + random.Index(items.size() - i)]);
  }
  items.resize(count);
  return items;
}

// ---------------------------------------------------------------------------------------------
// People

struct Person {
  std::string name;
  std::string email;
  std::string_view zone;
};

// `count` people "<title> <k> <<prefix><k>@example.com>" in a few time zones.
std::vector<Person> MakePeople(std::string_view title, std::string_view prefix, int count) {
  constexpr std::array<std::string_view, 6> kZones = {"+0000", "+0100", "+0200",
                                                      "-0500", "-0800", "+0530"};
  std::vector<Person> people;
  for (int k = 1; k <= count; ++k) {
    const std::string number = std::to_string(k);
    people.push_back({std::string(title) + " " + number,
                      std::string(prefix) + number + "@example.com",
                      kZones[static_cast<std::size_t>(k) % kZones.size()]});
  }
  return people;
}

// ---------------------------------------------------------------------------------------------
// fast-import stream

using FileChanges = std::map<std::string, std::string>;  // path -> new content

struct Signature {
  const Person* person;
  UnixSeconds time;
};

struct Commit {
  std::string_view ref;
  Signature author;
  Signature committer;
  std::string message;
  Mark parent = 0;  // 0 for the root commit
  Mark merged = 0;  // the second parent of a merge
  FileChanges changes;
};

class FastImportWriter {
 public:
  explicit FastImportWriter(std::ostream& out) : out_(out) {}

  // Returns the new commit's mark.
  Mark WriteCommit(const Commit& commit) {
    const Mark mark = ++last_mark_;
    out_ << "commit " << commit.ref << "\nmark :" << mark << '\n';
    WriteSignature("author", commit.author);
    WriteSignature("committer", commit.committer);
    WriteData(commit.message);
    if (commit.parent != 0) out_ << "from :" << commit.parent << '\n';
    if (commit.merged != 0) out_ << "merge :" << commit.merged << '\n';
    for (const auto& [path, content] : commit.changes) {
      out_ << "M 100644 inline " << path << '\n';
      WriteData(content);
    }
    out_ << '\n';
    return mark;
  }

  void WriteTag(std::string_view name, Mark target, Signature tagger, std::string_view message) {
    out_ << "tag " << name << "\nfrom :" << target << '\n';
    WriteSignature("tagger", tagger);
    WriteData(message);
    out_ << '\n';
  }

  void WriteDone() { out_ << "done\n"; }

 private:
  void WriteSignature(std::string_view role, Signature signature) {
    out_ << role << ' ' << signature.person->name << " <" << signature.person->email << "> "
         << signature.time << ' ' << signature.person->zone << '\n';
  }

  void WriteData(std::string_view bytes) { out_ << "data " << bytes.size() << '\n' << bytes; }

  std::ostream& out_;
  Mark last_mark_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Plan of the main line: commit times, special steps and releases, fixed before writing.

enum class StepKind { kRoot, kOrdinary, kHotfix, kCrissCrossFirst, kCrissCrossSecond };

struct Release {
  std::size_t step;      // the tagged main-line commit
  UnixSeconds tag_time;  // see PlanTagTimes()
  std::int64_t major;
  std::int64_t minor;
  bool maintained = false;  // gets a release/<major>.<minor> branch and a v<major>.<minor>.1 tag
};

struct Plan {
  UnixSeconds start_time;
  UnixSeconds end_time;
  std::int64_t maintenance_lines;
  std::vector<UnixSeconds> times;  // committer time of each main-line commit
  std::vector<StepKind> kinds;
  std::vector<Release> releases;  // ordered by step
};

// Random gaps between consecutive commits, scaled to run from `start` to `end`.
std::vector<UnixSeconds> PlanMainTimes(std::size_t commits, UnixSeconds start, UnixSeconds end,
                                       Random& random) {
  std::vector<UnixSeconds> times(commits, 0);  // first the cumulated gap weights
  for (std::size_t i = 1; i < commits; ++i) {
    times[i] = times[i - 1] + random.Between(1, kMaxGapWeight);
  }
  const std::int64_t total_weight = times.back();
  for (UnixSeconds& time : times) {
    time = total_weight == 0 ? end : start + (end - start) * time / total_weight;
  }
  return times;
}

// Tag k sits near the middle of the k-th of `tags` equal stretches of main, plus jitter.
std::vector<std::size_t> PlanReleaseSteps(std::int64_t commits, std::int64_t tags, Random& random) {
  std::vector<std::size_t> steps;
  if (tags == 0) return steps;
  const std::int64_t jitter = commits / (4 * tags);
  std::int64_t previous = -1;
  for (std::int64_t k = 0; k < tags; ++k) {
    const std::int64_t ideal = (2 * k + 1) * commits / (2 * tags);
    const std::int64_t step =
        std::clamp(ideal + random.Between(-jitter, jitter), previous + 1, commits - (tags - k));
    steps.push_back(static_cast<std::size_t>(step));
    previous = step;
  }
  return steps;
}

// v1.0.0, v1.1.0 ... v1.9.0, v2.0.0 ...; about 1 in 20 (at least one from 10 tags) maintained,
// unless every release opens a long-lived maintenance line.
std::vector<Release> PlanReleases(std::int64_t commits, std::int64_t tags,
                                  std::int64_t maintenance_lines, Random& random) {
  std::vector<Release> releases;
  for (const std::size_t step : PlanReleaseSteps(commits, tags, random)) {
    const auto k = static_cast<std::int64_t>(releases.size());
    releases.push_back({.step = step, .tag_time = 0, .major = 1 + k / 10, .minor = k % 10});
  }
  if (maintenance_lines > 0) return releases;
  std::vector<std::size_t> indexes(releases.size());
  std::iota(indexes.begin(), indexes.end(), std::size_t{0});
  const auto maintained =
      static_cast<std::size_t>(tags >= 10 ? std::max<std::int64_t>(1, tags / 20) : 0);
  for (const std::size_t i : PickDistinct(maintained, indexes, random)) {
    releases[i].maintained = true;
  }
  return releases;
}

// About 0.5% of the steps (at least one) become hotfixes, each right after a release outside
// the first 5% of the history, merged 2-20 hours after the release (sooner if the next commit on
// main was sooner, so that times keep rising).
void PlanHotfixes(Plan& plan, Random& random) {
  const std::size_t commits = plan.kinds.size();
  std::vector<std::size_t> candidates;
  for (const Release& release : plan.releases) {
    if (release.step >= commits / 20 && release.step + 1 < commits) {
      candidates.push_back(release.step + 1);
    }
  }
  const std::size_t wanted = std::max<std::size_t>(1, (commits + 100) / 200);
  std::vector<std::size_t> steps = PickDistinct(wanted, candidates, random);
  std::sort(steps.begin(), steps.end());  // each step's predecessor must already be final
  for (const std::size_t step : steps) {
    plan.kinds[step] = StepKind::kHotfix;
    const UnixSeconds release_time = plan.times[step - 1];
    const std::int64_t delay = random.Between(2 * kHour, 20 * kHour);
    plan.times[step] = release_time + std::min(plan.times[step] - release_time, delay);
  }
}

// A release is tagged 0-2 hours after its commit, and before a hotfix that repairs it.
void PlanTagTimes(Plan& plan, Random& random) {
  for (Release& release : plan.releases) {
    const UnixSeconds commit_time = plan.times[release.step];
    UnixSeconds latest = commit_time + 2 * kHour;
    const std::size_t next = release.step + 1;
    if (next < plan.kinds.size() && plan.kinds[next] == StepKind::kHotfix) {
      latest = std::min(latest, plan.times[next]);
    }
    release.tag_time = random.Between(commit_time, latest);
  }
}

// Two consecutive ordinary steps from the middle of main on land the criss-cross branches.
void PlanCrissCross(Plan& plan) {
  const std::size_t commits = plan.kinds.size();
  if (commits < 200) return;
  for (std::size_t step = commits / 2; step + 1 < commits; ++step) {
    if (plan.kinds[step] == StepKind::kOrdinary && plan.kinds[step + 1] == StepKind::kOrdinary) {
      plan.kinds[step] = StepKind::kCrissCrossFirst;
      plan.kinds[step + 1] = StepKind::kCrissCrossSecond;
      return;
    }
  }
}

Plan MakePlan(const Options& options, Random& random) {
  Plan plan;
  plan.end_time = options.end_time;
  plan.start_time = options.end_time - options.days * kDay;
  const auto commits = static_cast<std::size_t>(options.commits);
  plan.times = PlanMainTimes(commits, plan.start_time, plan.end_time, random);
  plan.kinds.assign(commits, StepKind::kOrdinary);
  plan.kinds.front() = StepKind::kRoot;
  plan.maintenance_lines = options.maintenance_lines;
  plan.releases = PlanReleases(options.commits, options.tags, options.maintenance_lines, random);
  PlanHotfixes(plan, random);
  PlanTagTimes(plan, random);
  PlanCrissCross(plan);
  return plan;
}

// ---------------------------------------------------------------------------------------------
// History

// A branch being written: its tip, and the files it changed since its fork, which a merge of
// the branch carries over (main's own record of them goes unused).
struct Branch {
  std::string name;
  std::string ref;
  const Person* author;
  Mark tip;
  FileChanges changes;
};

// Feature work is backdated (author time up to 3 days before the commit); fixes are not.
enum class Work { kFeature, kFix };

// A main-line commit that a later revert may target.
struct RevertCandidate {
  std::size_t step;
  std::string subject;
  FileChanges changes;
};

void Apply(const FileChanges& changes, FileChanges& into) {
  for (const auto& [path, content] : changes) into.insert_or_assign(path, content);
}

std::string Version(const Release& release, int patch) {
  return "v" + std::to_string(release.major) + "." + std::to_string(release.minor) + "." +
         std::to_string(patch);
}

// Writes the planned history. Branches that get merged are written through refs/heads/main
// with explicit `from` lines: fast-import only stores a ref's final value, so they leave no
// refs behind. Only main, release/* and the unmerged feature branches remain as refs.
class HistoryWriter {
 public:
  HistoryWriter(const Plan& plan, Random& random, FastImportWriter& writer)
      : plan_(plan),
        random_(random),
        writer_(writer),
        developers_(MakePeople("Developer", "dev", 20)),
        maintainers_(MakePeople("Maintainer", "maintainer", 2)),
        main_{"main", std::string(kMainRef), nullptr, 0, {}} {}

  void Write() {
    for (std::size_t step = 0; step < plan_.kinds.size(); ++step) WriteStep(step);
    WriteUnmergedFeatures();
    writer_.WriteDone();
  }

 private:
  void WriteStep(std::size_t step) {
    const UnixSeconds time = plan_.times[step];
    switch (plan_.kinds[step]) {
      case StepKind::kRoot:
        WriteRoot(time);
        break;
      case StepKind::kOrdinary:
        if (merge_backs_.empty()) {
          WriteOrdinaryStep(step, time);
        } else {
          MergeInto(main_, merge_backs_.front(), time);
          merge_backs_.pop_front();
        }
        break;
      case StepKind::kHotfix:
        WriteHotfix(time);
        break;
      case StepKind::kCrissCrossFirst:
        WriteCrissCross(step, time);
        break;
      case StepKind::kCrissCrossSecond:
        MergeInto(main_, *criss_cross_pending_, time);
        criss_cross_pending_.reset();
        break;
    }
    main_marks_.push_back(main_.tip);
    while (!revert_candidates_.empty() && revert_candidates_.front().step + kRevertWindow < step) {
      revert_candidates_.pop_front();
    }
    if (next_release_ < plan_.releases.size() && plan_.releases[next_release_].step == step) {
      WriteRelease(plan_.releases[next_release_++]);
    }
  }

  void WriteRoot(UnixSeconds time) {
    FileChanges changes = RandomChanges();
    changes.emplace("README.md", "Synthetic repository written by gen_repo.\n");
    const Person* author = &maintainers_.front();
    CommitChanges(main_, {author, time}, time, "Initial commit\n", changes);
  }

  void WriteOrdinaryStep(std::size_t step, UnixSeconds time) {
    const std::int64_t roll = random_.Between(0, 999);
    if (roll < 300) {
      WriteFeatureMerge(step, time);
    } else if (roll < 400) {
      WriteSquashCommit(step, time);
    } else if (roll < 410 && !revert_candidates_.empty()) {
      WriteRevert(time);
    } else {
      WriteDirectCommit(step, time);
    }
  }

  void WriteDirectCommit(std::size_t step, UnixSeconds time) {
    const std::string subject = RandomSubject();
    const FileChanges changes = RandomChanges();
    CommitChanges(main_, {RandomDeveloper(), time}, time, subject + "\n", changes);
    revert_candidates_.push_back({step, subject, changes});
  }

  void WriteSquashCommit(std::size_t step, UnixSeconds time) {
    const std::string number = std::to_string(++feature_count_);
    const std::string subject = "Merged in feature/" + number + " (pull request #" + number + ")";
    const FileChanges changes = RandomChanges();
    CommitChanges(main_, Backdated(RandomDeveloper(), time), time, subject + "\n", changes);
    revert_candidates_.push_back({step, subject, changes});
  }

  // Reverts a recent main-line commit by changing its files again. Without the reverted sha
  // (unknown inside fast-import) the message is git's default subject only.
  void WriteRevert(UnixSeconds time) {
    const auto chosen = revert_candidates_.begin() +
                        static_cast<std::ptrdiff_t>(random_.Index(revert_candidates_.size()));
    FileChanges changes;
    for (const auto& [path, content] : chosen->changes) changes.emplace(path, NextContent());
    CommitChanges(main_, {RandomDeveloper(), time}, time, "Revert \"" + chosen->subject + "\"\n",
                  changes);
    revert_candidates_.erase(chosen);  // revert each commit at most once
  }

  void WriteFeatureMerge(std::size_t step, UnixSeconds time) {
    const std::size_t fork_step = RecentStep(step, 4);
    Branch feature = ForkFeature(fork_step);
    AddCommits(feature, random_.Between(1, 5), plan_.times[fork_step], time, Work::kFeature);
    MergeInto(main_, feature, time);
  }

  // Repairs the release written at the previous step (see PlanHotfixes), the tip of main.
  void WriteHotfix(UnixSeconds time) {
    Branch hotfix =
        Fork("hotfix/" + std::to_string(++hotfix_count_), std::string(kMainRef), main_.tip);
    const UnixSeconds tag_time = plan_.releases[next_release_ - 1].tag_time;
    AddCommits(hotfix, random_.Between(1, 2), tag_time, time, Work::kFix);
    MergeInto(main_, hotfix, time);
  }

  // Two feature branches each merge the other's first commit, so that their tips have two merge
  // bases. The first lands in main now, the second at the next step.
  void WriteCrissCross(std::size_t step, UnixSeconds time) {
    const std::size_t fork_step = RecentStep(step, 3);
    Branch first = ForkFeature(fork_step);
    Branch second = ForkFeature(fork_step);
    const UnixSeconds fork_time = plan_.times[fork_step];
    const auto slot = [&](std::int64_t k) { return fork_time + (time - fork_time) * k / 7; };
    CommitWork(first, slot(1), Work::kFeature);
    CommitWork(second, slot(2), Work::kFeature);
    const Branch first_before_cross = first;
    MergeInto(first, second, slot(3));
    MergeInto(second, first_before_cross, slot(4));
    CommitWork(first, slot(5), Work::kFeature);
    CommitWork(second, slot(6), Work::kFeature);
    MergeInto(main_, first, time);
    criss_cross_pending_ = std::move(second);
  }

  void WriteRelease(const Release& release) {
    const std::string version = Version(release, 0);
    writer_.WriteTag(version, main_.tip, {RandomMaintainer(), release.tag_time},
                     "Release " + version + "\n");
    if (release.maintained) WriteMaintenanceBranch(release);
    if (plan_.maintenance_lines > 0) AdvanceMaintenanceLines(release);
  }

  // At each release, each open line gets fixes and a patch release with a chance of 40%, and is
  // then merged back into main (at the next ordinary steps); then the line opened
  // --maintenance-lines releases ago closes and this release opens one.
  void AdvanceMaintenanceLines(const Release& release) {
    const UnixSeconds now = plan_.times[release.step];
    for (MaintenanceLine& line : lines_) {
      if (!random_.PerMille(400)) continue;
      line.last_time =
          AddCommits(line.branch, random_.Between(1, 2), line.last_time, now, Work::kFix);
      const std::string version = Version(line.release, ++line.patch);
      writer_.WriteTag(version, line.branch.tip,
                       {RandomMaintainer(), line.last_time + random_.Between(0, kHour)},
                       "Release " + version + "\n");
      merge_backs_.push_back(line.branch);
      line.branch.changes.clear();
    }
    if (!lines_.empty() && static_cast<std::int64_t>(lines_.size()) == plan_.maintenance_lines) {
      lines_.pop_front();
    }
    const std::string name = std::to_string(release.major) + "." + std::to_string(release.minor);
    lines_.push_back(
        {Fork("release/" + name, "refs/heads/release/" + name, main_.tip), release, 0, now});
  }

  // release/<major>.<minor> with fixes made before the next release (or the end of history).
  void WriteMaintenanceBranch(const Release& release) {
    const std::string line = std::to_string(release.major) + "." + std::to_string(release.minor);
    Branch branch = Fork("release/" + line, "refs/heads/release/" + line, main_.tip);
    const UnixSeconds window_end = next_release_ < plan_.releases.size()
                                       ? plan_.times[plan_.releases[next_release_].step]
                                       : plan_.end_time;
    const UnixSeconds tip_time = AddCommits(branch, random_.Between(1, 3),
                                            plan_.times[release.step], window_end, Work::kFix);
    const std::string version = Version(release, 1);
    const UnixSeconds tag_time = tip_time + random_.Between(0, 2 * kHour);
    writer_.WriteTag(version, branch.tip, {RandomMaintainer(), tag_time},
                     "Release " + version + "\n");
  }

  // Feature branches still in progress at the end of the history keep their refs.
  void WriteUnmergedFeatures() {
    const std::size_t end_step = main_marks_.size();
    for (int k = 0; k < 2; ++k) {
      const std::size_t fork_step = RecentStep(end_step, 4);
      Branch feature = ForkFeature(fork_step);
      feature.ref = "refs/heads/" + feature.name;
      AddCommits(feature, random_.Between(1, 3), plan_.times[fork_step], plan_.end_time,
                 Work::kFeature);
    }
  }

  // One of the `back` + 1 main-line commits before `step`.
  std::size_t RecentStep(std::size_t step, std::size_t back) {
    return step - 1 - random_.Index(std::min(back, step - 1) + 1);
  }

  Branch Fork(std::string name, std::string ref, Mark from) {
    return {std::move(name), std::move(ref), RandomDeveloper(), from, {}};
  }

  Branch ForkFeature(std::size_t fork_step) {
    return Fork("feature/" + std::to_string(++feature_count_), std::string(kMainRef),
                main_marks_[fork_step]);
  }

  // `count` commits spread evenly between the two times (exclusive); returns the last one's time.
  UnixSeconds AddCommits(Branch& branch, std::int64_t count, UnixSeconds after, UnixSeconds before,
                         Work work) {
    UnixSeconds time = after;
    for (std::int64_t k = 1; k <= count; ++k) {
      time = after + (before - after) * k / (count + 1);
      CommitWork(branch, time, work);
    }
    return time;
  }

  void CommitWork(Branch& branch, UnixSeconds time, Work work) {
    const Signature author =
        work == Work::kFeature ? Backdated(branch.author, time) : Signature{branch.author, time};
    const std::string subject = work == Work::kFeature ? RandomSubject() : Subject("Fix");
    CommitChanges(branch, author, time, subject + "\n", RandomChanges());
  }

  // A non-merge commit on `branch`; the committer is the author.
  void CommitChanges(Branch& branch, Signature author, UnixSeconds time, std::string message,
                     const FileChanges& changes) {
    branch.tip = writer_.WriteCommit({.ref = branch.ref,
                                      .author = author,
                                      .committer = {author.person, time},
                                      .message = std::move(message),
                                      .parent = branch.tip,
                                      .changes = changes});
    Apply(changes, branch.changes);
  }

  // A two-parent merge committed by a maintainer; its tree takes the source branch's changes.
  void MergeInto(Branch& target, const Branch& source, UnixSeconds time) {
    std::string message = "Merge branch '" + source.name + "'";
    if (&target != &main_) message += " into " + target.name;
    target.tip = writer_.WriteCommit({.ref = target.ref,
                                      .author = {source.author, time},
                                      .committer = {RandomMaintainer(), time},
                                      .message = message + "\n",
                                      .parent = target.tip,
                                      .merged = source.tip,
                                      .changes = source.changes});
    Apply(source.changes, target.changes);
  }

  Signature Backdated(const Person* author, UnixSeconds time) {
    return {author, std::max(plan_.start_time, time - random_.Between(0, 3 * kDay))};
  }

  const Person* RandomDeveloper() { return &developers_[random_.Index(developers_.size())]; }

  const Person* RandomMaintainer() { return &maintainers_[random_.Index(maintainers_.size())]; }

  std::string RandomSubject() {
    constexpr std::array<std::string_view, 8> kVerbs = {
        "Add", "Update", "Refactor", "Improve", "Remove", "Document", "Speed up", "Clean up"};
    return Subject(kVerbs[random_.Index(kVerbs.size())]);
  }

  // "<verb> <topic> <counter>": the counter keeps every subject unique.
  std::string Subject(std::string_view verb) {
    constexpr std::array<std::string_view, 10> kTopics = {
        "widget",    "parser",        "cache",         "login flow",   "exporter",
        "scheduler", "config loader", "metrics panel", "search index", "billing job"};
    return std::string(verb) + " " + std::string(kTopics[random_.Index(kTopics.size())]) + " " +
           std::to_string(++subject_count_);
  }

  // One or two of 128 small files, each with content never written before.
  FileChanges RandomChanges() {
    FileChanges changes;
    const int files = random_.PerMille(300) ? 2 : 1;
    for (int k = 0; k < files; ++k) changes.insert_or_assign(RandomPath(), NextContent());
    return changes;
  }

  // Separate statements: the order of two draws in one expression would be unspecified.
  std::string RandomPath() {
    const std::string module = std::to_string(random_.Between(0, 15));
    const std::string file = std::to_string(random_.Between(0, 7));
    return "src/mod" + module + "/file" + file + ".txt";
  }

  std::string NextContent() { return "change " + std::to_string(++content_count_) + "\n"; }

  const Plan& plan_;
  Random& random_;
  FastImportWriter& writer_;
  const std::vector<Person> developers_;
  const std::vector<Person> maintainers_;
  Branch main_;
  std::vector<Mark> main_marks_;  // main_marks_[step] is that step's main-line commit
  std::deque<RevertCandidate> revert_candidates_;
  std::optional<Branch> criss_cross_pending_;
  // --maintenance-lines: the open lines, oldest first, and their patches waiting to merge back.
  struct MaintenanceLine {
    Branch branch;
    Release release;
    int patch;
    UnixSeconds last_time;  // of the line's newest commit (its fork at first)
  };
  std::deque<MaintenanceLine> lines_;
  std::deque<Branch> merge_backs_;
  std::size_t next_release_ = 0;
  std::int64_t feature_count_ = 0;
  std::int64_t hotfix_count_ = 0;
  std::int64_t subject_count_ = 0;
  std::int64_t content_count_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const Options options = ParseOptions(argc, argv);
  Random random(options.seed);
  const Plan plan = MakePlan(options, random);
  FastImportWriter writer(std::cout);
  HistoryWriter(plan, random, writer).Write();
  std::cout.flush();
  return std::cout ? 0 : 1;
}
