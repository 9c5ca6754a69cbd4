#!/usr/bin/env bash
# Deployments from a deploy log (deploys.log) instead of tags: a failed deployment followed by a
# successful re-run of the same commit. The log names commits by sha, which is fixed by the
# dates, names and contents below (c1 dd416a8a986e, c2 0384d5a88b0b, c3 8221083eedc9): if you
# change this script, update deploys.log.
#
#   c1 Mar 04 09:00   c2 Mar 05 09:00   c3 Mar 06 09:00   (linear, no tags)
#   log: D1 c1 Mar 04 12:00 success; D2 c2 Mar 05 12:00 failure;
#        D3 c2 Mar 05 14:30+02:00 (= 12:30Z) success;
#        D4 c3 Mar 06 12:00 (no status: success)
#
# Window: --until 2024-03-11T00:00:00Z --window 7d = [Mar 04, Mar 11), 1 whole week.
#
# D1: first deployment: c1, change_count 1, lookback applied, lead 3h = 10800.
# D2: rev-list c2 ^c1 = c2 -> change_count 1; failed deployments credit nothing (sample 0, lead
#     median null). Failed: `deployment_failed`; restored by the next successful deployment, D3,
#     named by its sha's first 12 digits "0384d5a88b0b" (log deployments have no ref):
#     recovery 12:30 - 12:00 = 1800.
# D3: PREV is D1 (D2 failed): rev-list c2 ^c1 = c2 -> change_count 1; c2 credited here:
#     lead Mar 05 09:00 -> 12:30 = 12600.
# D4: rev-list c3 ^c2 = c3 -> change_count 1, lead 3h = 10800.
#
# Summary: deployments (successful) 3, attempts 4, failed 1.
#   Lead times (n=3): 10800, 10800, 12600: median 10800; p75 rank 1.5 -> 11700;
#   p90 rank 1.8 -> 10800 + 0.8*1800 = 12240; mean 34200 / 3 = 11400. Level: Elite.
#   Change fail rate 1 / 4 = 0.25 -> Low. Recovery 1800 < 1 hour -> Elite. Rework 0.
# Frequency (successful only): 3 / 7 days = 0.428571429/day; 3 deploys on 3 days -> High.
# Time between successful deployments: Mar 04 12:00 -> Mar 05 12:30 = 88200;
#   -> Mar 06 12:00 = 84600; median 86400.
set -euo pipefail
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
mkdir -p "$1"
cd "$1"
git init -q -b main
git config user.name 'Ada Lovelace'
git config user.email ada@example.com
git config commit.gpgsign false
git config tag.gpgsign false

# commit MESSAGE DATE [AUTHOR_DATE]: adds one file named after the message and commits it.
commit() {
  local file
  file="$(printf '%s' "$1" | tr -c 'A-Za-z0-9' '_').txt"
  printf '%s\n' "$1" >"$file"
  git add "$file"
  GIT_AUTHOR_DATE="${3:-$2}" GIT_COMMITTER_DATE="$2" git commit -q -m "$1"
}
# merge BRANCH DATE: git merge --no-ff with git's default message ("Merge branch 'BRANCH'").
merge() {
  GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" git merge -q --no-ff --no-edit "$1"
}
# tag NAME DATE [TARGET]: an annotated tag dated DATE.
tag() {
  GIT_COMMITTER_DATE="$2" git tag -a -m "Release $1" "$1" "${3:-HEAD}"
}

commit "c1 initial" 2024-03-04T09:00:00Z
commit "c2 payment provider" 2024-03-05T09:00:00Z
commit "c3 receipts" 2024-03-06T09:00:00Z
